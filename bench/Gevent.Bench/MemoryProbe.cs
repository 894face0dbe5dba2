namespace Gevent.Bench;

/// <summary>
/// Memory per parked thing: how much a measure of this process's memory grows while <c>count</c> of them
/// are alive, divided by <c>count</c>.
/// </summary>
internal static class MemoryProbe
{
    /// <summary>Which memory to count.</summary>
    public enum Source
    {
        /// <summary>The resident set (<c>VmRSS</c>), as the kernel sees it: right for threads, whose cost is native (stacks, TLS).</summary>
        Rss,

        /// <summary>
        /// The live managed heap after a full collection: right for tasks, whose cost is heap objects that
        /// RSS misses when the GC reuses pages an earlier workload already touched.
        /// </summary>
        ManagedHeap,
    }

    /// <summary>Long enough for every parked thing to have started and blocked (gevent_micro.py waits 0.2 s too).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Reads <paramref name="source"/>, lets <paramref name="park"/> create <paramref name="count"/> blocked
    /// things and settle, reads it again, then calls the release it returned (which must end them all).
    /// </summary>
    public static double BytesPerItem(int count, Func<int, Action> park, Source source = Source.Rss)
    {
        var before = ReadAfterCollection(source);
        var release = park(count);
        var after = ReadAfterCollection(source);
        release();
        return (double)(after - before) / count;
    }

    /// <summary>Reads <paramref name="source"/> in bytes after a full collection.</summary>
    public static long ReadAfterCollection(Source source = Source.Rss)
    {
        // Garbage from earlier work would otherwise be freed (or not) inside the measured window.
        Collect();
        return source == Source.Rss ? ReadRssBytes() : GC.GetTotalMemory(forceFullCollection: true);
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

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
