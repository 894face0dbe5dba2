namespace Gevent.Cli.Patching;

/// <summary>What a run did: one outcome per input handled, deployment notes and errors, and whether it was interrupted.</summary>
internal sealed record RunResult(IReadOnlyList<Outcome> Outcomes, IReadOnlyList<string> Notes, IReadOnlyList<string> Errors, bool Interrupted);
