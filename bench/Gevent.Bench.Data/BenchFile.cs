namespace Gevent.Bench.Data;

/// <summary>
/// One bench run's results as <c>docs/data/BENCH.json</c>: which bench and command, when, on what machine
/// under what load, the notes a reader needs, and one row per measured cell.
/// </summary>
/// <param name="Bench">The bench command (<c>micro</c>, <c>http</c>, …); also the file's name.</param>
/// <param name="Command">The bench's arguments as run, so the file says how to measure it again.</param>
/// <param name="Measured">When the run ended and the file was written.</param>
/// <param name="Notes">What the rows alone do not say (a family not measured, a stand-in, another count).</param>
public sealed record BenchFile<TRow>(
    string Bench,
    string Command,
    DateTimeOffset Measured,
    Machine Machine,
    IReadOnlyList<string> Notes,
    IReadOnlyList<TRow> Rows);
