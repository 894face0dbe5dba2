using System.Globalization;
using Gevent.Bench.Data;

namespace Gevent.Bench.Load;

/// <summary>
/// The <c>http</c> load test: wrk on loopback against each "Hello, World!" server at 100 and 1,000
/// connections, one server at a time, each in its own process, all in the same run.
/// </summary>
internal static class HttpLoadBench
{
    private static readonly int[] s_connections = [100, 1000];

    public static int Run(TimeSpan duration)
    {
        if (!WrkRunner.IsInstalled())
        {
            Console.Error.WriteLine("wrk is not installed: apt-get install -y wrk");
            return 1;
        }

        var servers = new List<(string Name, Func<ServerProcess> Start)>
        {
            ("Gevent for .NET HttpServer", () => ServerProcess.StartSample("HttpHello")),
            ("Kestrel minimal API", () => ServerProcess.StartSelf("http-kestrel")),
            ("thread per connection", () => ServerProcess.StartSelf("http-threads")),
        };
        ServerProcess.AddPythonGevent(servers, "Python gevent pywsgi", "gevent_http.py");

        var results = new Dictionary<(string, int), WrkResult>();
        foreach (var (name, start) in servers)
        {
            foreach (var connections in s_connections)
            {
                using var server = start();
                Console.Error.WriteLine($"wrk: {name}, {connections} connections, {duration.TotalSeconds:0} s…");
                results[(name, connections)] = WrkRunner.Run($"http://127.0.0.1:{server.Port}/", connections, duration);
            }
        }

        var names = servers.Select(s => s.Name).ToList();
        Print(names, results, duration);
        JsonOutput.Save("http", [.. s_connections.SelectMany(c => names.Select(n =>
            new HttpRow(n, c, JsonOutput.Round(results[(n, c)].RequestsPerSecond)!.Value, results[(n, c)].Errors)))]);
        return 0;
    }

    private static void Print(List<string> names, Dictionary<(string, int), WrkResult> results, TimeSpan duration)
    {
        Console.WriteLine($"HTTP \"Hello, World!\" under wrk, {duration.TotalSeconds:0} s per cell, {Environment.ProcessorCount} CPUs (server and wrk share them)");
        Console.WriteLine();
        Console.WriteLine($"{"server",-30} {"conns",6} {"requests/s",12} {"errors",8} {"÷ pywsgi",9} {"÷ Kestrel",10}");
        foreach (var connections in s_connections)
        {
            foreach (var name in names)
            {
                var result = results[(name, connections)];
                Console.WriteLine($"{name,-30} {connections,6} {result.RequestsPerSecond,12:N0} {result.Errors,8} " +
                                  $"{Ratio(result, results, ("Python gevent pywsgi", connections)),9} {Ratio(result, results, ("Kestrel minimal API", connections)),10}");
            }
        }
    }

    private static string Ratio(WrkResult result, Dictionary<(string, int), WrkResult> results, (string, int) baseline) =>
        results.TryGetValue(baseline, out var other) && other.RequestsPerSecond > 0
            ? (result.RequestsPerSecond / other.RequestsPerSecond).ToString("0.00", CultureInfo.InvariantCulture) + "×"
            : "—";
}
