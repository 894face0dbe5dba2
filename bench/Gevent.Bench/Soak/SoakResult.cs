namespace Gevent.Bench.Soak;

/// <summary>One sample's soak: what was served, what went wrong by kind, what the server held, and the verdict.</summary>
internal sealed record SoakResult(
    string Target,
    double Minutes,
    DateTimeOffset Started,
    LoadAverages LoadAverage,
    LoadSummary Load,
    IReadOnlyDictionary<string, HostileSummary> Hostile,
    ServerSnapshots Server,
    ServerLog ServerLog,
    int? ExitCode,
    IReadOnlyList<string> Dumps,
    IReadOnlyList<SoakCheck> Checks)
{
    public bool Passed => Checks.All(c => c.Passed);
}

/// <summary>The machine's one-minute load average when the soak began, at its peak, and at the end.</summary>
internal sealed record LoadAverages(double Start, double Peak, double End);

/// <summary>What the load generator (wrk, or the echo load generator) got served, and its errors by kind.</summary>
internal sealed record LoadSummary(string Generator, long Served, string Unit, IReadOnlyDictionary<string, long> Errors);

/// <summary>One hostile client's tally.</summary>
internal sealed record HostileSummary(int Loops, IReadOnlyDictionary<string, long> Outcomes, IReadOnlyDictionary<string, long> Errors);

/// <summary>
/// The server before any load (cold), idle after the warm-up round (warm: pools and heap at their working
/// size), at the peak of the run, and idle at the end.
/// </summary>
internal sealed record ServerSnapshots(ServerSnapshot Cold, ServerSnapshot Warm, ServerSnapshot Peak, ServerSnapshot Final);

/// <summary>How many lines the server logged to standard error, and the last of them.</summary>
internal sealed record ServerLog(long Lines, IReadOnlyList<string> Tail);

/// <summary>One end-of-soak check and what it compared.</summary>
internal sealed record SoakCheck(string Name, bool Passed, string Detail);
