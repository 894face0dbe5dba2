using System.Globalization;
using System.Text.Json;
using Gevent.Bench.Data;

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

        WorkloadRow[] rows =
        [
            Row("pool_map_us", $"pool map overhead per item ({MapItems:N0})", ours.Map, gevent?.GetValueOrDefault("pool_map_us"), null),
            Row("threadpool_apply_us", $"thread-pool apply round trip ({Applies:N0})", ours.Apply, gevent?.GetValueOrDefault("threadpool_apply_us"), taskRun),
        ];
        Console.WriteLine($"pools — {Environment.ProcessorCount} CPUs, best of {Measure.DefaultTrials}, µs per item, lower is better");
        Console.WriteLine();
        Console.WriteLine($"{"workload",-36} {"Gevent .NET",12} {"Py gevent",10} {"÷ gevent",9} {"Task.Run",9}");
        foreach (var row in rows)
        {
            var (mine, theirs, dotnet) = (row.Figures[Families.GeventDotnet]!.Value, row.Figures[Families.PythonGevent], row.Figures[Families.TaskRun]);
            var ratio = theirs is > 0 ? (mine / theirs.Value).ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—";
            Console.WriteLine($"{row.Label,-36} {mine,12:F2} {Format(theirs),10} {ratio,9} {Format(dotnet),9}");
        }

        string[] notes = gevent is null ? [$"Python gevent: not measured — {reason}"] : [];
        foreach (var note in notes)
        {
            Console.WriteLine(note);
        }

        JsonOutput.Save("pools", rows, notes);
        return 0;
    }

    private static WorkloadRow Row(string key, string label, double ours, double? gevent, double? taskRun) =>
        new(key, label, "µs/op", new Dictionary<string, double?>
        {
            [Families.GeventDotnet] = JsonOutput.Round(ours),
            [Families.PythonGevent] = JsonOutput.Round(gevent),
            [Families.TaskRun] = JsonOutput.Round(taskRun),
        });

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
