namespace ResumableLibrary;

/// <summary>Waits the consumer calls across the assembly boundary: each yields the hub while it works.</summary>
public static class Pacer
{
    /// <summary>0 + 1 + … + (<paramref name="count"/> - 1), yielding after each term, so a caller suspends inside.</summary>
    public static long SumSlowly(int count)
    {
        long sum = 0;
        for (var i = 0; i < count; i++)
        {
            sum += i;
            Thread.Yield();
        }

        return sum;
    }

    /// <summary>Adds <paramref name="line"/> to <paramref name="log"/>, then sleeps until killed.</summary>
    public static void Park(List<string> log, string line)
    {
        log.Add(line);
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>Yields the hub once: a body a consumer spawns as a method group.</summary>
    public static void Tick() => Thread.Yield();
}
