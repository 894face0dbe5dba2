using System.Text.Json;

namespace Gevent.Bench;

/// <summary>
/// Runs Python gevent's side of the micro workloads (<c>python/gevent_micro.py --json</c>) as a child process in
/// the same run, so both sides see the same machine at the same time. When Python or gevent is missing,
/// the family comes back unavailable with the reason, and the run goes on.
/// </summary>
internal static class PythonGeventRunner
{
    private const string Script = "gevent_micro.py";

    // Its five workloads plus 100,000 sleepers take ~20 s here; a hung child must not hang the bench.
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(3);

    public static FamilyResults Run()
    {
        var script = PythonGevent.Script(Script);
        var python = PythonGevent.FindPython();
        if (python is null)
        {
            return Unavailable("python3-gevent not installed (apt-get install -y python3-gevent)");
        }

        var (exitCode, stdout, stderr) = ChildProcess.Run(python, $"\"{script}\" --json", s_limit);
        if (exitCode != 0)
        {
            return Unavailable($"{Script} failed (exit {exitCode}): {stderr.Trim()}");
        }

        var figures = JsonSerializer.Deserialize<Dictionary<string, double>>(stdout)
            ?? throw new InvalidDataException($"{Script} printed no JSON object: {stdout}");
        var results = new FamilyResults($"Python gevent ({python})");
        foreach (var workload in MicroWorkload.All)
        {
            results.Set(workload, figures.TryGetValue(workload.GeventKey, out var value) ? value : null);
        }

        results.Set(MicroWorkload.BytesPerParked, results.Get(MicroWorkload.BytesPerParked), "at 100,000, from peak RSS");
        return results;
    }

    private static FamilyResults Unavailable(string reason) => new("Python gevent") { Unavailable = reason };
}
