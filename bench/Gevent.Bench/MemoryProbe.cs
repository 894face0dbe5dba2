namespace Gevent.Bench;

/// <summary>
/// Memory per parked thing, as the kernel sees it: the growth of this process's resident set
/// (<c>VmRSS</c>) while <c>count</c> of them are alive, divided by <c>count</c>.
/// </summary>
internal static class MemoryProbe
{
    /// <summary>Long enough for every parked thing to have started and blocked (gevent_micro.py waits 0.2 s too).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Reads RSS, lets <paramref name="park"/> create <paramref name="count"/> blocked things and settle,
    /// reads RSS again, then calls the release it returned (which must end them all).
    /// </summary>
    public static double BytesPerItem(int count, Func<int, Action> park)
    {
        Collect();
        var before = ReadRssBytes();
        var release = park(count);
        var after = ReadRssBytes();
        release();
        return (double)(after - before) / count;
    }

    /// <summary>The process's resident set size in bytes, from <c>/proc/self/status</c>.</summary>
    public static long ReadRssBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kib = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kib, System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("/proc/self/status has no VmRSS line; the memory probe needs Linux.");
    }

    // Garbage from earlier workloads would otherwise be freed (or not) inside the measured window.
    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
