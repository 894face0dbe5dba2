using System.Globalization;
using Gevent.Bench.Data;

namespace Gevent.Bench.AspNet;

/// <summary>
/// The <c>aspnet</c> bench's results: a table of each cell's medians and the issue's targets, and the same as
/// rows and notes for <c>docs/data/aspnet.json</c>.
/// </summary>
internal sealed class AspNetReport(AspNetSettings settings, IReadOnlyList<AspNetCell> cells, double loadAtStart, double loadAtEnd)
{
    private readonly IReadOnlyList<AspNetTarget> _targets = AspNetTarget.From(cells);

    public void Print(TextWriter output)
    {
        output.WriteLine($"ASP.NET Core under wrk, {AspNetSettings.Connections:N0} connections, {settings.Seconds} s per cell after {settings.WarmupSeconds} s of warm-up, " +
                         $"median of {settings.Repeats} round(s); {Environment.ProcessorCount} CPUs shared by server and wrk; load average {loadAtStart:0.0} at start, {loadAtEnd:0.0} at end");
        output.WriteLine();
        output.WriteLine($"{"handler",-30} {"server",-42} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"timeouts",9} {"errors",7} {"threads",8} {"RSS MiB",8}");
        foreach (var cell in cells)
        {
            output.WriteLine($"{cell.Handler.Name,-30} {cell.Server.Name,-42} {cell.RequestsPerSecond,9:N0} {Milliseconds(cell.LatencyP50Ms),8} {Milliseconds(cell.LatencyP99Ms),8} " +
                             $"{cell.Timeouts,9:N0} {cell.Errors,7:N0} {cell.PeakThreads,8:N0} {cell.PeakRssMiB,8:N0}");
        }

        output.WriteLine();
        output.WriteLine($"{"handler",-30} {"target (Gevent's median ÷ the baseline's)",-42} {"ratio",9} {"needed",8} {"met",5}");
        foreach (var target in _targets)
        {
            var name = AspNetHandler.All.First(h => h.Key == target.Handler).Name;
            // No ratio: the baseline served nothing, so it is infinite if Gevent served anything and undefined if not.
            var value = target.Value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "×" : target.Met ? "∞" : "—";
            output.WriteLine($"{name,-30} {target.Target,-42} {value,9} {(target.AtLeast ? "≥ " : "≤ ") + target.Threshold.ToString(CultureInfo.InvariantCulture),8} {(target.Met ? "yes" : "NO"),5}");
        }
    }

    /// <summary>The medians as <c>docs/data/aspnet.json</c>'s rows, for the chart program.</summary>
    public IReadOnlyList<AspNetRow> Rows() =>
    [
        .. cells.Select(c => new AspNetRow(
            c.Server.Name, c.Handler.Name, AspNetSettings.Connections, c.RequestsPerSecond, c.LatencyP50Ms, c.LatencyP99Ms, c.Timeouts, c.Errors, c.PeakThreads, c.PeakRssMiB)),
    ];

    /// <summary>What the rows alone do not say: the method, and each target with its ratio.</summary>
    public IReadOnlyList<string> Notes() =>
    [
        $"wrk at {AspNetSettings.Connections:N0} connections (timeout {AspNetSettings.WrkTimeoutSeconds} s) against bench/AspNetBenchApp; {settings.Seconds} s per cell " +
        $"after {settings.WarmupSeconds} s of warm-up; median of {settings.Repeats} round(s); threads and RSS are the server's peak; load average {loadAtStart:0.0} at start, {loadAtEnd:0.0} at end",
        $"PostgreSQL pool {AspNetSettings.PostgresPoolSize}, max_connections {AspNetSettings.PostgresMaxConnections}",
        .. _targets.Select(t => $"{AspNetHandler.All.First(h => h.Key == t.Handler).Name}: {t.Target} = {(t.Value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—")} (needed {(t.AtLeast ? "≥" : "≤")} {t.Threshold.ToString(CultureInfo.InvariantCulture)}): {(t.Met ? "met" : "not met")}"),
    ];

    private static string Milliseconds(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "—";
}
