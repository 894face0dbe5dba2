using System.Text.Json;

namespace Gevent.Bench.Soak;

/// <summary>
/// <c>soak MINUTES [http|echo|all]</c>: each sample under load and hostile clients for MINUTES, then the
/// checks that it is alive and back at its baseline; a table on standard output, JSON and any crash
/// dumps in <c>soak-results/TIMESTAMP-TARGET/</c>. Exit code 1 if any check failed.
/// </summary>
internal static class SoakCommand
{
    public static int Run(double minutes, string which)
    {
        SoakTarget[] targets = which switch
        {
            "http" => [SoakTarget.HttpHello],
            "echo" => [SoakTarget.Echo],
            _ => [SoakTarget.HttpHello, SoakTarget.Echo],
        };
        if (targets.Any(t => t.Http) && !Load.WrkRunner.IsInstalled())
        {
            Console.Error.WriteLine("wrk is not installed: apt-get install -y wrk");
            return 1;
        }

        var results = new List<SoakResult>();
        foreach (var target in targets)
        {
            var directory = Path.GetFullPath(Path.Combine("soak-results", $"{DateTime.Now:yyyyMMdd-HHmmss}-{target.Name}"));
            Directory.CreateDirectory(directory);
            var result = SoakRun.Run(target, TimeSpan.FromMinutes(minutes), directory);
            var json = Path.Combine(directory, "soak.json");
            File.WriteAllText(json, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            SoakTable.Print(result);
            Console.WriteLine($"  written to {json}");
            Console.WriteLine();
            results.Add(result);
        }

        return results.All(r => r.Passed) ? 0 : 1;
    }
}
