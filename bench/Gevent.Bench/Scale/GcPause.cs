namespace Gevent.Bench.Scale;

/// <summary>
/// The pause of a forced, blocking collection, as the runtime counts it (<see cref="GC.GetTotalPauseDuration"/>:
/// the time managed threads were suspended), median of several.
/// </summary>
internal static class GcPause
{
    private const int Gen0Trials = 31;
    private const int Gen2Trials = 11;

    /// <summary>The median gen0 and gen2 pauses in µs, with the heap as it is now.</summary>
    public static (double Gen0, double Gen2) Medians()
    {
        // Everything alive now is promoted first, so gen0's figure is that of a young generation that holds
        // only what the trials allocate, as in a steady state where the parked greenlets are old.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return (Median(0, Gen0Trials), Median(2, Gen2Trials));
    }

    private static double Median(int generation, int trials)
    {
        var pauses = new double[trials];
        for (var i = 0; i < trials; i++)
        {
            var before = GC.GetTotalPauseDuration();
            GC.Collect(generation, GCCollectionMode.Forced, blocking: true);
            pauses[i] = (GC.GetTotalPauseDuration() - before).TotalMicroseconds;
        }

        Array.Sort(pauses);
        return pauses[trials / 2];
    }
}
