using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ResumableCases;

/// <summary>
/// Ref-struct locals at yields: an interpolated string's handler dead at the yield (every use before it, or after it
/// only once constructed again) leaves the frame capturable; a handler still being built across the yield, a span or a
/// <c>ref</c> into another ref struct held across it, and a ref struct whose own method yields on the caller's local
/// keep the method on its thread. Every method logs what it computed, to be compared with the woven copy's log; each
/// takes no argument, so a woven one can be a stackless greenlet's body.
/// </summary>
public sealed class RefStructRuns(int number)
{
    /// <summary>What the methods computed, in order.</summary>
    public List<string> Log { get; } = [];

    /// <summary>Formats a line, yields, logs it, <c>number</c> times: the handler is constructed again after each yield.</summary>
    public void InterpolatedBeforeYield()
    {
        for (var i = 0; i < number; i++)
        {
            var line = $"round {i} of {number}";
            Thread.Yield();
            Log.Add(line);
        }
    }

    /// <summary>As <see cref="InterpolatedBeforeYield"/>, formatting a value of a type parameter (a double here).</summary>
    public void InterpolatedDouble() => InterpolatedGeneric(number + 0.5);

    /// <summary>As <see cref="InterpolatedBeforeYield"/>, formatting <paramref name="value"/>.</summary>
    public void InterpolatedGeneric<T>(T value)
    {
        for (var i = 0; i < number; i++)
        {
            var line = $"{value} #{i}";
            Thread.Yield();
            Log.Add(line);
        }
    }

    /// <summary>Labels <c>number</c> lines through a value type's method that formats before it yields.</summary>
    public void LabelledByAStruct()
    {
        var labeller = new Labeller("label");
        for (var i = 0; i < number; i++)
        {
            Log.Add(labeller.Label(i));
        }

        Log.Add("labelled " + labeller.Count);
    }

    /// <summary>A handler half built across the yield: it cannot leave the thread's stack.</summary>
    public void HandlerLiveAcrossYield()
    {
        var handler = new DefaultInterpolatedStringHandler(6, 1);
        handler.AppendLiteral("value ");
        Thread.Yield();
        handler.AppendFormatted(number);
        Log.Add(handler.ToStringAndClear());
    }

    /// <summary>A span into another ref struct held across the yield, though that struct itself is not read again.</summary>
    public void SpanIntoARefStructAcrossYield()
    {
        var cell = new Cell { Value = number };
        var span = MemoryMarshal.CreateSpan(ref cell.Value, 1);
        Thread.Yield();
        span[0]++;
        Log.Add("span " + span[0]);
    }

    /// <summary>A <c>ref</c> into a ref struct held across the yield.</summary>
    public void RefIntoARefStructAcrossYield()
    {
        var cell = new Cell { Value = number };
        ref var held = ref cell.Value;
        Thread.Yield();
        held++;
        Log.Add("held " + held);
    }

    /// <summary>A ref struct's own method yields on this method's local, which is not read after the call.</summary>
    public void RefStructReceiverYields()
    {
        var ticker = new Ticker(Log, number);
        ticker.Tick();
    }
}

/// <summary>A value type that formats a label with an interpolated string before it yields.</summary>
public struct Labeller(string prefix)
{
    /// <summary>How many labels it made.</summary>
    public int Count { get; private set; }

    /// <summary>The label of <paramref name="i"/>, made before a yield.</summary>
    public string Label(int i)
    {
        var label = $"{prefix} {i}";
        Thread.Yield();
        Count++;
        return label;
    }
}

/// <summary>A ref struct holding one number.</summary>
public ref struct Cell
{
    /// <summary>The number.</summary>
    public int Value;
}

/// <summary>A ref struct whose method counts on both sides of a yield.</summary>
public ref struct Ticker(List<string> log, int count)
{
    private int _count = count;

    /// <summary>Counts, yields, counts again and logs the count: resumed on an empty copy it would log 1 instead.</summary>
    public void Tick()
    {
        _count++;
        Thread.Yield();
        _count++;
        log.Add("ticked " + _count);
    }
}
