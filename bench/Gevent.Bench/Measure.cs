using System.Diagnostics;

namespace Gevent.Bench;

/// <summary>Timing shared by every workload, the way gevent_micro.py times its own: best of N runs, µs per operation.</summary>
internal static class Measure
{
    /// <summary>gevent_micro.py takes the best of 5; the same here so the figures compare.</summary>
    public const int DefaultTrials = 5;

    /// <summary>
    /// Runs <paramref name="run"/>(<paramref name="ops"/>) <paramref name="trials"/> times and returns the
    /// fastest run's µs per operation. The best, not the mean, because this 2-core VM is noisy and noise only adds.
    /// </summary>
    public static double BestOf(int ops, Action<int> run, int trials = DefaultTrials)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ops, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        var best = double.MaxValue;
        for (var trial = 0; trial < trials; trial++)
        {
            var clock = Stopwatch.StartNew();
            run(ops);
            best = Math.Min(best, clock.Elapsed.TotalMicroseconds);
        }

        return best / ops;
    }
}
