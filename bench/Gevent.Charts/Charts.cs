using System.Globalization;
using Gevent.Bench.Data;

namespace Gevent.Charts;

/// <summary>The charts docs/benchmarks.md shows, each from one bench's data file.</summary>
internal static class Charts
{
    public static readonly IReadOnlyList<Chart> All =
    [
        new("http.svg", "http", path => Throughput(DataFolder.Read<HttpRow>(path), "HTTP \"Hello, World!\" under wrk (keep-alive)", "requests/s",
            r => r.Server, r => r.Connections, r => r.RequestsPerSecond)),
        new("echo.svg", "echo", path => Throughput(DataFolder.Read<EchoRow>(path), "Echo: connections held open, 64-byte messages", "round trips/s",
            r => r.Server, r => r.Connections, r => r.RoundTripsPerSecond)),
        new("micro-ratios.svg", "micro", path => MicroRatios(DataFolder.Read<WorkloadRow>(path))),
        new("bytes-per-greenlet.svg", "micro", path => BytesPerGreenlet(DataFolder.Read<WorkloadRow>(path))),
        new("aspnet-requests.svg", "aspnet", path => AspNet(DataFolder.Read<AspNetRow>(path), "requests/s", "higher is better", r => r.RequestsPerSecond, Thousands)),
        new("aspnet-p99.svg", "aspnet", path => AspNet(DataFolder.Read<AspNetRow>(path), "p99 latency, ms", "lower is better", r => r.P99Ms, Milliseconds)),
        new("aspnet-threads.svg", "aspnet", path => AspNet(DataFolder.Read<AspNetRow>(path), "threads in the server", "fewer is lighter", r => r.Threads, Count)),
    ];

    /// <summary>Requests or round trips per second, a group per connection count and a colour per server.</summary>
    private static ScottPlot.Plot Throughput<TRow>(BenchFile<TRow> file, string title, string unit,
        Func<TRow, string> server, Func<TRow, int> connections, Func<TRow, double?> value)
    {
        var counts = file.Rows.Select(connections).Distinct().ToList();
        return new GroupedBars
        {
            Title = title,
            Provenance = Provenance(file),
            GroupAxis = "connections",
            ValueAxis = $"{unit} (higher is better)",
            Groups = [.. counts.Select(c => c.ToString("N0", CultureInfo.InvariantCulture))],
            Series = Pivot(file.Rows, server, connections, counts, value),
            Format = Thousands,
        }.Draw();
    }

    /// <summary>
    /// Each timed micro workload as a multiple of Python gevent's time, on a log axis with gevent at 1:
    /// a bar below the line is faster than gevent. Workloads gevent did not measure are left out.
    /// </summary>
    private static ScottPlot.Plot MicroRatios(BenchFile<WorkloadRow> file)
    {
        var rows = file.Rows.Where(r => r.Unit.StartsWith("µs", StringComparison.Ordinal) && r.Figures[Families.PythonGevent] is > 0).ToList();
        // Files written before the stackless tier have no stackless figures: a family is drawn where the run has it.
        string[] families = [.. new[] { Families.GeventDotnet, Families.GeventDotnetStackless, Families.Threads, Families.AsyncAwait }
            .Where(f => rows.Any(r => r.Figures.ContainsKey(f)))];
        return new GroupedBars
        {
            Title = "Micro costs as multiples of Python gevent's (same run)",
            Provenance = Provenance(file),
            GroupAxis = "workload",
            ValueAxis = "time ÷ Python gevent's (lower is better, log)",
            Groups = [.. rows.Select(r => r.Label.Split(',')[0])], // the count after the comma is in docs/benchmarks.md
            Series = [.. families.Select(f => new Series(Families.Label(f), [.. rows.Select(r => r.Figures.GetValueOrDefault(f) / r.Figures[Families.PythonGevent])], FamilyColour(f)))],
            Format = Ratio,
            LogFrom = 1,
            Reference = (1, "Python gevent = 1×"),
        }.Draw();
    }

    /// <summary>What one parked greenlet (or thread, or pending task) costs in memory, a colour per family.</summary>
    private static ScottPlot.Plot BytesPerGreenlet(BenchFile<WorkloadRow> file)
    {
        var row = file.Rows.Single(r => r.Unit == "B");
        var families = row.Figures.Where(f => f.Value is > 0).ToList();
        return new GroupedBars
        {
            Title = "Memory per parked greenlet, thread or pending task",
            Provenance = Provenance(file),
            GroupAxis = "10,000 parked (Python gevent: 100,000; async/await: 100,000, managed heap)",
            ValueAxis = "bytes each (lower is better, log)",
            Groups = ["bytes per parked"],
            Series = [.. families.Select(f => new Series(Families.Label(f.Key), [f.Value], FamilyColour(f.Key)))],
            Format = Bytes,
            LogFrom = 10,
        }.Draw();
    }

    /// <summary>One measure of the ASP.NET Core comparison, a group per handler and connection count and a colour per server.</summary>
    private static ScottPlot.Plot AspNet(BenchFile<AspNetRow> file, string measure, string better, Func<AspNetRow, double?> value, Func<double, string> format)
    {
        var cells = file.Rows.Select(r => (r.Handler, r.Connections)).Distinct().ToList();
        return new GroupedBars
        {
            Title = $"ASP.NET Core: {measure}",
            Provenance = Provenance(file),
            GroupAxis = "handler, connections",
            ValueAxis = $"{measure} ({better})",
            Groups = [.. cells.Select(c => $"{c.Handler}, {c.Connections:N0}")],
            Series = Pivot(file.Rows, r => r.Server, r => (r.Handler, r.Connections), cells, value),
            Format = format,
        }.Draw();
    }

    /// <summary>
    /// A series per server, in the order the run measured them, with its value in each group; null where the
    /// run has no such cell (a server that skipped a connection count) or the cell has no such figure (no latency
    /// when no request completed).
    /// </summary>
    private static Series[] Pivot<TRow, TGroup>(IReadOnlyList<TRow> rows, Func<TRow, string> server, Func<TRow, TGroup> group, IReadOnlyList<TGroup> groups, Func<TRow, double?> value) =>
        [.. rows.Select(server).Distinct().Select(s => new Series(s, [.. groups.Select(g =>
            rows.Where(r => server(r) == s && EqualityComparer<TGroup>.Default.Equals(group(r), g)).Select(value).FirstOrDefault())]))];

    /// <summary>A family's palette index, the same on every chart.</summary>
    private static int FamilyColour(string family) =>
        Array.IndexOf([Families.GeventDotnet, Families.PythonGevent, Families.Threads, Families.AsyncAwait, Families.TaskRun, Families.GeventDotnetStackless], family);

    /// <summary>Where the figures come from, so a chart copied out of its page still says what it shows.</summary>
    private static string Provenance<TRow>(BenchFile<TRow> file) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{file.Command} · {file.Measured:yyyy-MM-dd HH:mm} UTC · {file.Machine.Cpus} CPUs · load {string.Join(" / ", file.Machine.LoadAverages.Select(l => l.ToString("0.#", CultureInfo.InvariantCulture)))}");

    private static string Thousands(double v) => v >= 1000 ? string.Create(CultureInfo.InvariantCulture, $"{v / 1000:0.#}k") : Count(v);

    private static string Count(double v) => v.ToString("0", CultureInfo.InvariantCulture);

    private static string Milliseconds(double v) => v.ToString(v >= 10 ? "0" : "0.0#", CultureInfo.InvariantCulture);

    private static string Bytes(double v) => v >= 1000 ? string.Create(CultureInfo.InvariantCulture, $"{v / 1000:0.#} KB") : $"{Count(v)} B";

    private static string Ratio(double v) => v.ToString(v >= 10 ? "0" : v >= 0.1 ? "0.00" : "0.0##", CultureInfo.InvariantCulture) + "×";
}
