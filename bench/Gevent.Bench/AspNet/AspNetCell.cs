namespace Gevent.Bench.AspNet;

/// <summary>One server and handler, its runs (one per round) and their medians, which the table and targets use.</summary>
internal sealed class AspNetCell(AspNetServer server, AspNetHandler handler, string path)
{
    private readonly List<AspNetRun> _runs = [];

    public AspNetServer Server { get; } = server;

    public AspNetHandler Handler { get; } = handler;

    public string Path { get; } = path;

    public IReadOnlyList<AspNetRun> Runs => _runs;

    public void Add(AspNetRun run) => _runs.Add(run);

    public double RequestsPerSecond => Median(_runs.Select(r => (double?)r.RequestsPerSecond)) ?? 0;

    public double? LatencyP50Ms => Median(_runs.Select(r => r.LatencyP50Ms));

    public double? LatencyP99Ms => Median(_runs.Select(r => r.LatencyP99Ms));

    public double Timeouts => Median(_runs.Select(r => (double?)r.Timeouts)) ?? 0;

    public double Errors => Median(_runs.Select(r => (double?)r.Errors)) ?? 0;

    public double PeakThreads => Median(_runs.Select(r => (double?)r.PeakThreads)) ?? 0;

    public double PeakRssMiB => Median(_runs.Select(r => (double?)r.PeakRssMiB)) ?? 0;

    // The median of the figures there are (a run where no request completed has no latency), null if none.
    private static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
