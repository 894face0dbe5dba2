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
        var (python, figures, failure) = PythonGevent.RunJson(Script, "--json", s_limit);
        if (figures is null)
        {
            return Unavailable(failure!);
        }

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
