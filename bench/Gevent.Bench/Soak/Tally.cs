using System.Collections.Concurrent;

namespace Gevent.Bench.Soak;

/// <summary>Counts by name, from any thread: what a soak client saw happen (outcomes) and what should not have (errors).</summary>
internal sealed class Tally
{
    private readonly ConcurrentDictionary<string, long> _outcomes = new();
    private readonly ConcurrentDictionary<string, long> _errors = new();

    /// <summary>Something expected happened (the server answered, closed a stalled client, …).</summary>
    public void Outcome(string name) => _outcomes.AddOrUpdate(name, 1, (_, n) => n + 1);

    /// <summary>Something that should not happen: a refused connection, a wrong echo, a 5xx, a hang.</summary>
    public void Error(string name) => _errors.AddOrUpdate(name, 1, (_, n) => n + 1);

    public SortedDictionary<string, long> Outcomes => new(_outcomes);

    public SortedDictionary<string, long> Errors => new(_errors);
}
