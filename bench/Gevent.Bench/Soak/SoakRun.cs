using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Gevent.Bench.Load;
using Gevent.Bench.Soak.Hostile;

namespace Gevent.Bench.Soak;

/// <summary>
/// One sample's soak. The server starts with crash dumps on; a warm-up round (load and every hostile
/// client, <see cref="WarmUp"/>) brings its pools and heap to their working size; the soak proper runs
/// as long again as asked; after each round the clients are gone and the server must settle back.
/// </summary>
internal static class SoakRun
{
    /// <summary>Long enough for the idle connections to be all open and the HTTP head timeout (30 s) to fire once.</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(40);

    private const int WrkConnections = 256;
    private const int EchoConnections = 1000;

    // The greenlet threads' idle timeout (20 s) and a margin: threads parked for reuse are not a leak.
    private static readonly TimeSpan s_settleAfterIdle = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan s_settleLimit = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan s_stopMargin = TimeSpan.FromMinutes(3);

    public static SoakResult Run(SoakTarget target, TimeSpan duration, string resultsDirectory)
    {
        var started = DateTimeOffset.Now;
        var startLoadAverage = PeakSampler.LoadAverage();
        var dumps = Path.Combine(resultsDirectory, "dumps");
        Directory.CreateDirectory(dumps);
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_DbgEnableMiniDump"] = "1",
            ["DOTNET_DbgMiniDumpType"] = "2", // with the heap: the managed state a crash left behind
            ["DOTNET_DbgMiniDumpName"] = Path.Combine(dumps, $"{target.Name}.%p.dmp"),
            ["DOTNET_EnableCrashReport"] = "1",
        };

        using var server = ServerProcess.StartSample(target.Sample, "--stats", environment);
        using var interrupted = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => server.Dispose());
        using var terminated = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => server.Dispose());
        var cold = Idle(server);
        HostileClient[] hostile = [new SlowlorisClient(), new SlowBodyClient(), new ResetClient(), new HalfCloseClient(), new GarbageClient(), new IdleConnections()];
        var load = new List<LoadSummary>();
        ServerSnapshot warm, final;
        ServerSnapshot peak;
        double peakLoadAverage;
        using (var sampler = new PeakSampler(server, cold))
        {
            Progress(target, $"warm-up round, {WarmUp.TotalSeconds:0} s");
            load.Add(Round(target, server, hostile, WarmUp));
            warm = Settle(target, server, cold.Greenlets);
            Progress(target, $"soak round, {duration.TotalMinutes:0.#} min");
            load.Add(Round(target, server, hostile, duration));
            final = Settle(target, server, cold.Greenlets);
            peak = sampler.Peak;
            peakLoadAverage = sampler.PeakLoadAverage;
        }

        var exitCode = server.ExitCode;
        var dumpFiles = Directory.GetFiles(dumps, $"{target.Name}.*").Select(Path.GetFileName).OfType<string>().ToList();
        var checks = new List<SoakCheck>
        {
            new("alive", exitCode is null && dumpFiles.Count == 0, exitCode is null ? $"running, {dumpFiles.Count} dumps" : $"exited {exitCode}, {dumpFiles.Count} dumps"),
            new("greenlets back", final.Greenlets == cold.Greenlets, $"{final.Greenlets} at the end, {cold.Greenlets} before any load"),
            new("descriptors back", final.Descriptors <= warm.Descriptors, $"{final.Descriptors} at the end, {warm.Descriptors} after the warm-up"),
            new("heap back", final.HeapBytes >= 0 && final.HeapBytes <= HeapBound(warm), $"{Mib(final.HeapBytes)} MiB after a full collection at the end, at most {Mib(HeapBound(warm))} MiB allowed ({Mib(warm.HeapBytes)} MiB after the warm-up, + 10 % + 4 MiB)"),
            new("memory back", final.RssKiB <= RssBound(warm), $"{final.RssKiB / 1024} MiB resident at the end, at most {RssBound(warm) / 1024} MiB allowed ({warm.RssKiB / 1024} MiB after the warm-up, + 25 % + 16 MiB)"),
        };
        var (logLines, logTail) = server.StandardError;
        return new SoakResult(
            target.Name,
            duration.TotalMinutes,
            started,
            new LoadAverages(startLoadAverage, Math.Max(startLoadAverage, peakLoadAverage), PeakSampler.LoadAverage()),
            Sum(load),
            hostile.ToDictionary(h => h.Name, h => new HostileSummary(h.Loops, h.Tally.Outcomes, h.Tally.Errors)),
            new ServerSnapshots(cold, warm, peak, final),
            new ServerLog(logLines, logTail),
            exitCode,
            dumpFiles,
            checks);
    }

    /// <summary>
    /// The most resident memory the idle server may hold at the end: the warm-up's idle figure, plus a
    /// quarter for the garbage collector's choice of when to give memory back, plus 16 MiB. A leak of
    /// 100 bytes per request or 1 KiB per connection over a 10-minute soak is far larger.
    /// </summary>
    private static long RssBound(ServerSnapshot warm) => warm.RssKiB * 5 / 4 + 16 * 1024;

    /// <summary>
    /// The most managed heap the idle server may hold after a full collection at the end: the warm-up's
    /// figure (collected the same way) plus a tenth and 4 MiB for pools and caches sized by the peak. This
    /// is the leak check: 100 bytes kept per connection over the soak's tens of thousands exceeds it.
    /// </summary>
    private static long HeapBound(ServerSnapshot warm) => warm.HeapBytes * 11 / 10 + 4 * 1024 * 1024;

    private static long Mib(long bytes) => bytes / (1024 * 1024);

    private static LoadSummary Round(SoakTarget target, ServerProcess server, HostileClient[] hostile, TimeSpan duration)
    {
        using var stop = new CancellationTokenSource(duration);
        var endPoint = new IPEndPoint(IPAddress.Loopback, server.Port);
        var clients = Task.WhenAll(hostile.Select(h => h.RunAsync(endPoint, target.Http, stop.Token)));
        var load = Task.Run(() => Load(target, server.Port, duration));
        var stopwatch = Stopwatch.StartNew();

        // A server that dies mid-round ends the round: the clients would only count refused connections.
        while (!clients.IsCompleted && stopwatch.Elapsed < duration + s_stopMargin)
        {
            if (server.ExitCode is not null)
            {
                stop.Cancel();
            }

            clients.Wait(TimeSpan.FromSeconds(1));
        }

        if (!clients.IsCompleted || !load.Wait(s_stopMargin))
        {
            throw new TimeoutException($"the {target.Name} soak's clients did not stop within {s_stopMargin.TotalMinutes:0} min of the end");
        }

        return load.Result;
    }

    private static LoadSummary Load(SoakTarget target, int port, TimeSpan duration)
    {
        if (target.Http)
        {
            try
            {
                var wrk = WrkRunner.Run($"http://127.0.0.1:{port}/", WrkConnections, duration);
                return new LoadSummary($"wrk, {WrkConnections} connections", wrk.Requests, "requests", new Dictionary<string, long>
                {
                    ["connect"] = wrk.ConnectErrors,
                    ["read"] = wrk.ReadErrors,
                    ["write"] = wrk.WriteErrors,
                    ["timeout"] = wrk.Timeouts,
                    ["non-2xx"] = wrk.Non2xx,
                });
            }
            catch (InvalidOperationException e)
            {
                return new LoadSummary("wrk", 0, "requests", new Dictionary<string, long> { [e.Message] = 1 });
            }
        }

        try
        {
            var echo = EchoLoadBench.Generate(port, EchoConnections, duration);
            return new LoadSummary($"echo load generator, {EchoConnections} connections", echo.RoundTrips, "round trips", new Dictionary<string, long>
            {
                ["not connected"] = echo.Requested - echo.Held,
                ["connection failed or wrong echo"] = echo.Errors - (echo.Requested - echo.Held),
            });
        }
        catch (InvalidOperationException e)
        {
            return new LoadSummary("echo load generator", 0, "round trips", new Dictionary<string, long> { [e.Message] = 1 });
        }
    }

    private static LoadSummary Sum(List<LoadSummary> rounds) => new(
        rounds[0].Generator,
        rounds.Sum(r => r.Served),
        rounds[0].Unit,
        rounds.SelectMany(r => r.Errors).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Value)));

    /// <summary>A snapshot of the idle server once its stats line has come (the greenlet count needs it).</summary>
    private static ServerSnapshot Idle(ServerProcess server)
    {
        var stopwatch = Stopwatch.StartNew();
        ServerSnapshot snapshot;
        while ((snapshot = ServerSnapshot.Take(server, collect: true)).Greenlets < 0 && stopwatch.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(200);
        }

        return snapshot;
    }

    /// <summary>
    /// Waits for the server's greenlets to fall back to <paramref name="greenlets"/> (bounded), then for idle
    /// greenlet threads to retire, and takes a snapshot; the last one taken if the server has exited.
    /// </summary>
    private static ServerSnapshot Settle(SoakTarget target, ServerProcess server, int greenlets)
    {
        var stopwatch = Stopwatch.StartNew();
        var snapshot = TryTake(server) ?? ServerSnapshot.Gone;
        while (server.ExitCode is null && snapshot.Greenlets > greenlets && stopwatch.Elapsed < s_settleLimit)
        {
            Thread.Sleep(1000);
            snapshot = TryTake(server) ?? snapshot;
        }

        Progress(target, $"{snapshot.Greenlets} greenlets {stopwatch.Elapsed.TotalSeconds:0} s after the clients left; waiting {s_settleAfterIdle.TotalSeconds:0} s for idle threads to retire");
        if (server.ExitCode is null)
        {
            Thread.Sleep(s_settleAfterIdle);
        }

        return TryTake(server, collect: true) ?? snapshot;
    }

    private static ServerSnapshot? TryTake(ServerProcess server, bool collect = false)
    {
        try
        {
            return ServerSnapshot.Take(server, collect);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void Progress(SoakTarget target, string message) =>
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} soak {target.Name}: {message}");
}
