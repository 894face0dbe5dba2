namespace BlockingWebHandlers;

/// <summary>Counts handlers running at once and remembers the most seen.</summary>
public static class ConcurrencyProbe
{
    private static int s_running;
    private static int s_peak;

    /// <summary>The most handlers seen running at once since <see cref="Reset"/>.</summary>
    public static int Peak => Volatile.Read(ref s_peak);

    /// <summary>Starts counting afresh.</summary>
    public static void Reset()
    {
        Volatile.Write(ref s_running, 0);
        Volatile.Write(ref s_peak, 0);
    }

    /// <summary>Counts the caller as running until the scope is disposed.</summary>
    public static IDisposable Enter()
    {
        var running = Interlocked.Increment(ref s_running);
        int peak;
        while (running > (peak = Volatile.Read(ref s_peak)) && Interlocked.CompareExchange(ref s_peak, running, peak) != peak)
        {
        }

        return new Exit();
    }

    private sealed class Exit : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref s_running);
    }
}
