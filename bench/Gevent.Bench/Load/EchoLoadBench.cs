using System.Text.Json;
using Gevent.Bench.Data;

namespace Gevent.Bench.Load;

/// <summary>
/// The <c>echo</c> load test: 1,000 / 5,000 / 10,000 connections (or the counts given) held open and exchanging messages
/// against each echo server, the load generator in its own process (one process holds at most ~19,900
/// sockets here, so client and server cannot share one at 10,000).
/// </summary>
internal static class EchoLoadBench
{
    /// <summary>The default connection counts; 5,000 and 10,000 park as many thread-backed greenlets, which loads a shared machine for minutes.</summary>
    public static readonly int[] DefaultConnections = [1000, 5000, 10_000];

    public static int Run(TimeSpan duration, IReadOnlyList<int> connectionCounts)
    {
        var servers = new List<(string Name, Func<ServerProcess> Start)>
        {
            ("Gevent for .NET StreamServer", () => ServerProcess.StartSample("Echo")),
            ("Gevent, woven handler", () => ServerProcess.StartSelf("echo-woven")),
            ("async/await", () => ServerProcess.StartSelf("echo-async")),
        };
        ServerProcess.AddPythonGevent(servers, "Python gevent StreamServer", "gevent_echo.py");

        Console.WriteLine($"echo load, 64-byte messages, {duration.TotalSeconds:0} s per cell, load generator in its own process");
        Console.WriteLine();
        Console.WriteLine($"{"server",-30} {"conns",6} {"held",6} {"round trips/s",14} {"errors",7}");
        var rows = new List<EchoRow>();
        foreach (var connections in connectionCounts)
        {
            foreach (var (name, start) in servers)
            {
                using var server = start();
                Console.Error.WriteLine($"echo: {name}, {connections} connections…");
                var result = Generate(server.Port, connections, duration);
                Console.WriteLine($"{name,-30} {connections,6} {result.Held,6} {result.RoundTripsPerSecond,14:N0} {result.Errors,7}");
                rows.Add(new EchoRow(name, connections, result.Held, JsonOutput.Round(result.RoundTripsPerSecond)!.Value, result.Errors));
            }
        }

        JsonOutput.Save("echo", rows);
        return 0;
    }

    /// <summary>Runs the load generator in its own process against <paramref name="port"/> and reads its result.</summary>
    public static EchoLoadResult Generate(int port, int connections, TimeSpan duration)
    {
        var (exitCode, stdout, stderr) = ChildProcess.RunSelf($"echo-load {port} {connections} {(int)duration.TotalSeconds}", duration + TimeSpan.FromMinutes(2));
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"the load generator failed (exit {exitCode}): {stderr}");
        }

        return JsonSerializer.Deserialize<EchoLoadResult>(stdout.Trim())
            ?? throw new InvalidDataException($"the load generator printed no result: {stdout}");
    }
}
