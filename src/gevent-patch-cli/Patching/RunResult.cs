using Gevent.Weaver;

namespace Gevent.Cli.Patching;

/// <summary>
/// What a run did: one outcome per input handled, deployment notes and errors, whether it was interrupted,
/// and the suspendable-path analysis of the inputs taken together, when asked for (empty otherwise).
/// </summary>
internal sealed record RunResult(IReadOnlyList<Outcome> Outcomes, IReadOnlyList<string> Notes, IReadOnlyList<string> Errors, bool Interrupted, IReadOnlyList<SuspensionReport> Suspension);
