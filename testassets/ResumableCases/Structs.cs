namespace ResumableCases;

/// <summary>
/// A value type whose instance method suspends while writing through <c>this</c>: its waits pin (the frame could not
/// keep the byref <c>this</c>), and its static method is rewritten.
/// </summary>
public struct Counter(List<string> log)
{
    /// <summary>How many ticks this counter has counted.</summary>
    public int Count { get; private set; }

    /// <summary>Counts <paramref name="n"/> ticks, yielding after each: the caller's copy must see every one.</summary>
    public void Tick(int n)
    {
        for (var i = 0; i < n; i++)
        {
            Count++;
            Thread.Yield();
            log.Add("tick " + Count);
        }
    }

    /// <summary>Twice <paramref name="x"/>, after a yield: a static method of a value type has no <c>this</c> to keep.</summary>
    public static int Doubled(int x)
    {
        Thread.Yield();
        return 2 * x;
    }
}

/// <summary>A readonly value type whose instance method suspends: it never writes through <c>this</c>, and pins all the same.</summary>
public readonly struct Reading(double value)
{
    /// <summary>The value, after a yield.</summary>
    public string Describe()
    {
        Thread.Yield();
        return "reading " + value;
    }
}

/// <summary>A greenlet body that suspends stacklessly, then calls into a struct's pinned waits.</summary>
public sealed class StructRuns
{
    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public int Result { get; private set; }

    /// <summary>A rewritten static struct method, then ticks through a local struct's <c>this</c> and reads its count.</summary>
    public void Run()
    {
        var doubled = Counter.Doubled(2);
        Log.Add("doubled " + doubled);
        Result = TickedCount(3) + doubled;
        Log.Add(Described(Result));
    }

    private static string Described(int value) => new Reading(value).Describe();

    private int TickedCount(int n)
    {
        var counter = new Counter(Log);
        counter.Tick(n);
        Log.Add("counted " + counter.Count);
        return counter.Count;
    }
}
