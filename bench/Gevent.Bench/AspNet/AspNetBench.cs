using System.Data.Common;
using Gevent.Bench.Load;
using Gevent.Bench.Soak;
using Gevent.Integration.Tests.Fixtures;

namespace Gevent.Bench.AspNet;

/// <summary>
/// The <c>aspnet</c> load test (issue 14): wrk at 1,000 connections against bench/AspNetBenchApp's blocking
/// handlers, run on plain Kestrel (defaults, and with the thread pool's floor raised), beside the same waits
/// written with <c>await</c> on Kestrel and the unchanged app patched onto greenlets. Each cell is a fresh server
/// process; the rows are interleaved within each round and their order rotates between rounds, so a change in the
/// machine's load weighs on every row alike.
/// </summary>
internal static class AspNetBench
{
    public static int Run(IReadOnlyList<string> arguments)
    {
        if (AspNetSettings.Parse(arguments) is not { } settings)
        {
            Console.Error.WriteLine($"usage: {AspNetSettings.Usage}");
            return 2;
        }

        if (!WrkRunner.IsInstalled())
        {
            Console.Error.WriteLine("wrk is not installed: apt-get install -y wrk");
            return 1;
        }

        var loadAtStart = PeakSampler.LoadAverage();
        Console.Error.WriteLine("aspnet: publishing bench/AspNetBenchApp and patching the publish folder…");
        using var deployment = new BenchAppDeployment();
        Console.Error.WriteLine("aspnet: starting PostgreSQL…");
        using var postgres = new PostgresServer(AspNetSettings.PostgresMaxConnections);
        var connectionString = new DbConnectionStringBuilder { ConnectionString = postgres.ConnectionString };
        connectionString["Maximum Pool Size"] = AspNetSettings.PostgresPoolSize;

        var cells = AspNetHandler.All
            .SelectMany(h => AspNetServer.All.Where(s => s.PathFor(h) is not null).Select(s => new AspNetCell(s, h, s.PathFor(h)!)))
            .ToList();
        for (var round = 1; round <= settings.Repeats; round++)
        {
            foreach (var handler in AspNetHandler.All)
            {
                var row = cells.Where(c => c.Handler == handler).ToList();
                foreach (var cell in row.Skip((round - 1) % row.Count).Concat(row.Take((round - 1) % row.Count)))
                {
                    Console.Error.WriteLine($"aspnet: round {round}/{settings.Repeats}, {handler.Name}, {cell.Server.Name}…");
                    cell.Add(Measure(cell, round, settings, deployment, connectionString.ConnectionString));
                }
            }
        }

        var report = new AspNetReport(settings, cells, loadAtStart, PeakSampler.LoadAverage());
        report.Print(Console.Out);
        JsonOutput.Save("aspnet", report.Rows(), report.Notes());

        return 0;
    }

    private static AspNetRun Measure(AspNetCell cell, int round, AspNetSettings settings, BenchAppDeployment deployment, string postgres)
    {
        var environment = new Dictionary<string, string>
        {
            // Warnings only: at Information the app logs two lines per request, and the bench would measure the console.
            ["Logging__LogLevel__Default"] = "Warning",
            ["BENCH_POSTGRES"] = postgres,
        };
        if (cell.Server.MinThreads is { } minThreads)
        {
            environment["BENCH_MIN_THREADS"] = minThreads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (cell.Server.Patched)
        {
            environment["ASPNETCORE_HOSTINGSTARTUPASSEMBLIES"] = "Gevent.AspNetCore";
        }

        using var server = ServerProcess.StartWebApp(cell.Server.Patched ? deployment.PatchedAssembly : deployment.PlainAssembly, environment);
        var url = $"http://127.0.0.1:{server.Port}{cell.Path}";
        var timeout = TimeSpan.FromSeconds(AspNetSettings.WrkTimeoutSeconds);

        // Every server gets the same warm-up (JIT, the pool's first connections, Kestrel's buffers) before it is measured.
        WrkRunner.Run(url, AspNetSettings.Connections, TimeSpan.FromSeconds(settings.WarmupSeconds), timeout);
        var loadAverage = PeakSampler.LoadAverage();
        using var sampler = new PeakSampler(server, ServerSnapshot.Take(server, ask: false), askServer: false);
        var result = WrkRunner.Run(url, AspNetSettings.Connections, TimeSpan.FromSeconds(settings.Seconds), timeout);
        var peak = sampler.Peak;
        return new AspNetRun(
            round,
            result.RequestsPerSecond,
            result.LatencyP50?.TotalMilliseconds,
            result.LatencyP99?.TotalMilliseconds,
            result.Requests,
            result.Timeouts,
            result.Errors - result.Timeouts,
            peak.Threads,
            peak.RssKiB / 1024.0,
            Math.Max(loadAverage, sampler.PeakLoadAverage));
    }
}
