using System.Globalization;
using System.Text.Json;

namespace Gevent.Bench;

/// <summary>
/// <c>pools</c>: what a <see cref="Pool"/> adds per mapped item, and a round trip through the hub's
/// <see cref="GreenThreadPool"/>, beside Python gevent's <c>Pool.map</c> and <c>threadpool.apply</c> in the
/// same run, and the .NET thread pool's <c>Task.Run(...).Result</c> for scale.
/// </summary>
internal static class PoolsBench
{
    private const int MapItems = 10_000;
    private const int Applies = 2_000;

    public static int Run()
    {
        var ours = HubThread.Run(() => (
            Map: Measure.BestOf(MapItems, n => new Pool(10).Map(Enumerable.Range(0, n), static x => x)),
            Apply: Measure.BestOf(Applies, n =>
            {
                var pool = Hub.Current.ThreadPool;
                for (var i = 0; i < n; i++)
                {
                    pool.Apply(static () => 1);
                }
            })));
        var taskRun = Measure.BestOf(Applies, n =>
        {
            for (var i = 0; i < n; i++)
            {
                _ = Task.Run(static () => 1).Result;
            }
        });
        var gevent = RunPython(out var reason);

        Console.WriteLine($"pools — {Environment.ProcessorCount} CPUs, best of {Measure.DefaultTrials}, µs per item, lower is better");
        Console.WriteLine();
        Console.WriteLine($"{"workload",-36} {"Gevent .NET",12} {"Py gevent",10} {"÷ gevent",9} {"Task.Run",9}");
        Row($"pool map overhead per item ({MapItems:N0})", ours.Map, gevent?.GetValueOrDefault("pool_map_us"), null);
        Row($"thread-pool apply round trip ({Applies:N0})", ours.Apply, gevent?.GetValueOrDefault("threadpool_apply_us"), taskRun);
        if (gevent is null)
        {
            Console.WriteLine($"Python gevent: not measured — {reason}");
        }

        return 0;
    }

    private static void Row(string label, double ours, double? gevent, double? dotnet) =>
        Console.WriteLine($"{label,-36} {ours,12:F2} {Format(gevent),10} {(gevent is > 0 ? (ours / gevent.Value).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—"),9} {Format(dotnet),9}");

    private static string Format(double? value) => value?.ToString("F2", CultureInfo.InvariantCulture) ?? "n/a";

    private static Dictionary<string, double>? RunPython(out string reason)
    {
        var script = PythonGevent.Script("gevent_pools.py");
        if (PythonGevent.FindPython() is not { } python)
        {
            reason = "python3-gevent not installed (apt-get install -y python3-gevent)";
            return null;
        }

        var (exitCode, stdout, stderr) = ChildProcess.Run(python, $"\"{script}\"", TimeSpan.FromMinutes(3));
        reason = $"gevent_pools.py failed (exit {exitCode}): {stderr.Trim()}";
        return exitCode == 0 ? JsonSerializer.Deserialize<Dictionary<string, double>>(stdout) : null;
    }
}
