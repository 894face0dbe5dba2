using System.Runtime.CompilerServices;

namespace SuspensionCases;

/// <summary>One method per pin reason: each blocks where its frame cannot be captured.</summary>
public static unsafe class Pinning
{
    private static readonly object s_gate = new();

    /// <summary>A lambda that blocks, run by List.ForEach (an un-woven frame).</summary>
    public static void UnwovenFrame(List<int> items) => items.ForEach(item => Thread.Sleep(item));

    /// <summary>A blocking method run through reflection.</summary>
    public static void Reflection() => typeof(Capturable).GetMethod(nameof(Capturable.CallsLibrary))!.Invoke(null, null);

    /// <summary>A ref local live across the call.</summary>
    public static void ByRefLocal(int[] values)
    {
        ref var first = ref values[0];
        Thread.Sleep(first);
        first++;
    }

    /// <summary>A byref below the call's arguments on the evaluation stack.</summary>
    public static void ByRefOnStack(int[] values) => Add(ref values[0], SleepOne());

    /// <summary>A Span live across the call.</summary>
    public static void RefStruct(byte[] buffer)
    {
        Span<byte> span = buffer;
        Thread.Sleep(span.Length);
        span[0] = 1;
    }

    /// <summary>Stack memory live across the call.</summary>
    public static void LocalAlloc()
    {
        var bytes = stackalloc byte[4];
        Thread.Sleep(bytes[0]);
    }

    /// <summary>A pinned local across the call.</summary>
    public static void PinnedLocal(byte[] buffer)
    {
        fixed (byte* bytes = buffer)
        {
            Thread.Sleep(bytes[0]);
        }
    }

    /// <summary>Blocks inside a catch block.</summary>
    public static void InCatch()
    {
        try
        {
            Console.WriteLine("try");
        }
        catch (InvalidOperationException)
        {
            Thread.Sleep(1);
        }
    }

    /// <summary>Blocks inside a finally block.</summary>
    public static void InFinally()
    {
        try
        {
            Console.WriteLine("try");
        }
        finally
        {
            Thread.Sleep(1);
        }
    }

    /// <summary>Blocks holding a lock.</summary>
    public static void InLock()
    {
        lock (s_gate)
        {
            Thread.Sleep(1);
        }
    }

    /// <summary>Blocks in a synchronized method (the monitor of its type is held).</summary>
    [MethodImpl(MethodImplOptions.Synchronized)]
    public static void Synchronized() => Thread.Sleep(1);

    /// <summary>Returns a byref.</summary>
    public static ref int RefReturn(int[] values)
    {
        Thread.Sleep(1);
        return ref values[0];
    }

    /// <summary>Takes a variable argument list.</summary>
    public static void Varargs(__arglist) => Thread.Sleep(1);

    private static int SleepOne()
    {
        Thread.Sleep(1);
        return 1;
    }

    private static void Add(ref int target, int value) => target += value;
}

/// <summary>Blocks while being constructed.</summary>
public sealed class BlockingConstructor
{
    /// <summary>Blocks.</summary>
    public BlockingConstructor() => Thread.Sleep(1);
}

/// <summary>Blocks while its type is initialised.</summary>
public static class BlockingTypeInitializer
{
    /// <summary>Set after a sleep.</summary>
    public static readonly int Value;

#pragma warning disable CA1810 // The explicit static constructor is the case under test.
    static BlockingTypeInitializer()
    {
        Thread.Sleep(1);
        Value = 1;
    }
#pragma warning restore CA1810
}
