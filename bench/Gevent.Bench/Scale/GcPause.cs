using System.Diagnostics;

namespace Gevent.Bench.Scale;

/// <summary>
/// The pause of a forced collection as the runtime counts it (the time managed threads were suspended), median of
/// several trials.
/// </summary>
internal static class GcPause
{
    private static readonly TimeSpan s_backgroundLimit = TimeSpan.FromSeconds(30);

    /// <summary>The median pause of <paramref name="collection"/> in µs, with the heap as it is now.</summary>
    public static double Median(Collection collection)
    {
        // Everything alive now is promoted first, so gen0's figure is that of a young generation holding only what
        // the trials allocate, as in a steady state where the parked greenlets are old.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var pauses = new double[collection == Collection.Gen0 ? 31 : 11];
        for (var i = 0; i < pauses.Length; i++)
        {
            pauses[i] = (collection == Collection.Gen2Background ? BackgroundPause() : BlockingPause(collection == Collection.Gen0 ? 0 : 2)).TotalMicroseconds;
        }

        Array.Sort(pauses);
        return pauses[pauses.Length / 2];
    }

    private static TimeSpan BlockingPause(int generation)
    {
        var before = GC.GetTotalPauseDuration();
        GC.Collect(generation, GCCollectionMode.Forced, blocking: true);
        return GC.GetTotalPauseDuration() - before;
    }

    /// <summary>Starts a background gen2 collection and, once it has ended, sums its pauses.</summary>
    private static TimeSpan BackgroundPause()
    {
        var last = GC.GetGCMemoryInfo(GCKind.Background).Index;
        GC.Collect(2, GCCollectionMode.Forced, blocking: false);
        var clock = Stopwatch.StartNew();
        GCMemoryInfo info;
        while ((info = GC.GetGCMemoryInfo(GCKind.Background)).Index == last)
        {
            if (clock.Elapsed > s_backgroundLimit)
            {
                throw new InvalidOperationException("No background collection ended: is the concurrent GC off (System.GC.Concurrent)?");
            }

            // A plain thread sleep: the parked greenlets need nothing from the hub meanwhile.
            Thread.Sleep(1);
        }

        var pause = TimeSpan.Zero;
        foreach (var part in info.PauseDurations)
        {
            pause += part;
        }

        return pause;
    }
}
