using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gevent.Bench.AspNet;

/// <summary>
/// The <c>aspnet</c> bench's results: a table of each cell's medians and the issue's targets, and the same as a
/// self-describing JSON file (every run, every median, the settings and the machine's load) for charts.
/// </summary>
/// <param name="arguments">The bench's arguments after <c>aspnet</c>, so that the file says how to run it again.</param>
internal sealed class AspNetReport(
    AspNetSettings settings, IReadOnlyList<string> arguments, IReadOnlyList<AspNetCell> cells, DateTimeOffset started, double loadAtStart, double loadAtEnd)
{
    // Relaxed escaping: the file is read by people and charts, not embedded in HTML, so ' and × stay as they are.
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

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

    public void WriteJson(string path)
    {
        var document = new
        {
            Bench = "aspnet",
            Description = "wrk against bench/AspNetBenchApp: blocking handlers on plain Kestrel, the same waits written with await, " +
                          "and the unchanged app patched by gevent-patch and run on greenlets (ASPNETCORE_HOSTINGSTARTUPASSEMBLIES=Gevent.AspNetCore)",
            Command = string.Join(' ', ["dotnet run -c Release --project bench/Gevent.Bench -- aspnet", .. arguments]),
            Started = started,
            Machine = new { Cpus = Environment.ProcessorCount, Dotnet = Environment.Version.ToString(), LoadAverageAtStart = loadAtStart, LoadAverageAtEnd = loadAtEnd },
            Settings = new
            {
                AspNetSettings.Connections,
                SecondsPerRun = settings.Seconds,
                settings.WarmupSeconds,
                Rounds = settings.Repeats,
                AspNetSettings.WrkTimeoutSeconds,
                AspNetSettings.PostgresPoolSize,
                AspNetSettings.PostgresMaxConnections,
                Statistic = "median of the rounds; threads and RSS are the server process's peak during each run",
            },
            Servers = AspNetServer.All.Select(s => new { s.Key, s.Name, s.Patched, s.MinThreads, s.Awaits }),
            Handlers = AspNetHandler.All.Select(h => new { h.Key, h.Name, h.BlockingPath, h.AwaitPath }),
            Cells = cells.Select(c => new
            {
                Server = c.Server.Key,
                ServerName = c.Server.Name,
                Handler = c.Handler.Key,
                HandlerName = c.Handler.Name,
                c.Path,
                AspNetSettings.Connections,
                Median = new
                {
                    c.RequestsPerSecond,
                    c.LatencyP50Ms,
                    c.LatencyP99Ms,
                    c.Timeouts,
                    c.Errors,
                    Threads = c.PeakThreads,
                    RssMiB = c.PeakRssMiB,
                },
                c.Runs,
            }),
            Targets = _targets,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, JsonOptions) + "\n");
    }

    private static string Milliseconds(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "—";
}
