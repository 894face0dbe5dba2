namespace AssemblyToProcess;

/// <summary>Instance, generic-getter and value-type receivers.</summary>
public sealed class Receivers
{
    private readonly Lazy<int> _lazy = new(() => 42);
    private readonly Task<int> _task = Task.FromResult(7);

    /// <summary>A blocking getter inside a property.</summary>
    public int LazyAnswer => _lazy.Value;

    /// <summary><c>task.Result</c> in a property: rewritten once the catalog patches it.</summary>
    public int TaskAnswer => _task.Result;

    private static string? s_published = "published";

    public static void WaitFor(ManualResetEventSlim handle) => handle.Wait();

    public static string? ReadPublished() => Volatile.Read(ref s_published);

    /// <summary>A struct receiver of a patched interface method: <c>constrained.</c>, left alone.</summary>
    public static int StructUsing()
    {
        using (var handle = new Handle())
        {
            return handle.Value;
        }
    }

    public static void DisposeGeneric<T>(T disposable)
        where T : IDisposable => disposable.Dispose();

    /// <summary>A <c>foreach</c> over a struct enumerator: <c>constrained.</c> Dispose on a type no patch covers, no warning.</summary>
    public static int SumAll(List<int> values)
    {
        var sum = 0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum;
    }

    /// <summary>No struct is a patched disposable: no warning. (Generic types, whose instantiations the JIT test leaves alone.)</summary>
    public static class ValueDisposer<T>
        where T : struct, IDisposable
    {
        public static void Dispose(T disposable) => disposable.Dispose();
    }

    /// <summary>No patched type is comparable: no warning.</summary>
    public static class ComparableDisposer<T>
        where T : IComparable, IDisposable
    {
        public static void Dispose(T disposable) => disposable.Dispose();
    }

    public struct Handle : IDisposable
    {
        public readonly int Value => 1;

        public readonly void Dispose()
        {
        }
    }
}
