using System.Text.Json;
using Gevent.Bench.Data;

namespace Gevent.Bench;

/// <summary>
/// The bench's JSON: <c>micro --json</c>'s one object, and every bench's results file in <c>docs/data/</c>,
/// which the chart program (bench/Gevent.Charts) draws.
/// </summary>
internal static class JsonOutput
{
    /// <summary>
    /// <c>micro --json</c>: gevent_micro.py's keys in its order, a number or null per key (null where the
    /// family has no such primitive).
    /// </summary>
    public static string Format(FamilyResults results)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var workload in MicroWorkload.All)
            {
                if (Round(results.Get(workload)) is { } value)
                {
                    json.WriteNumber(workload.Key, value);
                }
                else
                {
                    json.WriteNull(workload.Key);
                }
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A figure as the JSON keeps it: three decimals, more than any run repeats, so a re-run's diff shows only what moved.</summary>
    public static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    /// <summary>
    /// Writes <paramref name="rows"/> as <c>docs/data/BENCH.json</c> of the repository the bench was built in,
    /// with the command, the time and the machine's load, and says so on standard error.
    /// </summary>
    public static void Save<TRow>(string bench, IReadOnlyList<TRow> rows, IReadOnlyList<string>? notes = null)
    {
        if (DataFolder.RepositoryRoot() is not { } root)
        {
            Console.Error.WriteLine($"not run from the repository: {bench}'s results are not written to docs/data/");
            return;
        }

        var path = DataFolder.PathOf(root, bench);
        var command = string.Join(' ', Environment.GetCommandLineArgs().Skip(1)); // [0] is the bench itself
        DataFolder.Write(path, new BenchFile<TRow>(bench, command, DateTimeOffset.UtcNow, Machine.Current(), notes ?? [], rows));
        Console.Error.WriteLine($"results written to {Path.GetRelativePath(root, path)}");
    }
}
