using Gevent.Cli.Inputs;
using Gevent.Weaver;

namespace Gevent.Cli.Patching;

/// <summary>
/// The result for one input: what happened, why (for failures and skips), the warnings a user
/// should read, and the engine's report when the file was read.
/// </summary>
internal sealed record Outcome(Input Input, OutcomeKind Kind, string? Message, IReadOnlyList<string> Warnings, WeaveReport? Report)
{
    /// <summary>An input refused or failed with <paramref name="message"/>.</summary>
    public static Outcome Failure(Input input, string message) => new(input, OutcomeKind.Failed, message, [], null);

    /// <summary>The runtime whose replacements the patched file calls.</summary>
    public string? RuntimePath { get; init; }
}
