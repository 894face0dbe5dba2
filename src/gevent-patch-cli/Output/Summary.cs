using System.Text.Json.Nodes;
using Gevent.Cli.Patching;

namespace Gevent.Cli.Output;

/// <summary>The closing line of a run: files patched, sites rewritten, warnings, and the rest by outcome.</summary>
internal sealed record Summary(int Patched, int Rewritten, int Warnings, int Unchanged, int AlreadyPatched, int Skipped, int Failed, bool DryRun)
{
    /// <summary>Counts <paramref name="outcomes"/>.</summary>
    public static Summary Of(IReadOnlyList<Outcome> outcomes, bool dryRun)
    {
        int Count(OutcomeKind kind) => outcomes.Count(o => o.Kind == kind);
        return new Summary(
            Count(OutcomeKind.Patched),
            outcomes.Where(o => o.Kind == OutcomeKind.Patched).Sum(o => o.Report!.RewrittenCount),
            outcomes.Sum(o => o.Warnings.Count),
            Count(OutcomeKind.NothingToPatch),
            Count(OutcomeKind.AlreadyPatched),
            Count(OutcomeKind.Skipped),
            Count(OutcomeKind.Failed),
            dryRun);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{(DryRun ? "dry run, nothing written: " : "")}{Patched} files {(DryRun ? "to patch" : "patched")}, {Rewritten} call sites rewritten, {Warnings} warnings; "
        + $"{Unchanged} without blocking calls, {AlreadyPatched} already patched, {Skipped} skipped, {Failed} failed";

    /// <summary>The same counts for tools.</summary>
    public JsonObject ToJson() => new()
    {
        ["patched"] = Patched,
        ["rewritten"] = Rewritten,
        ["warnings"] = Warnings,
        ["unchanged"] = Unchanged,
        ["alreadyPatched"] = AlreadyPatched,
        ["skipped"] = Skipped,
        ["failed"] = Failed,
        ["dryRun"] = DryRun,
    };
}
