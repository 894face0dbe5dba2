using Gevent.Cli.Inputs;
using Gevent.Cli.Output;
using Gevent.Cli.Patching;
using McMaster.Extensions.CommandLineUtils;

namespace Gevent.Cli.Commands;

/// <summary><c>gevent-patch scan</c>: what patching would rewrite and what would still block; writes nothing.</summary>
[Command("scan", Description = "Show what would be rewritten and what cannot be made cooperative, without writing anything.")]
internal sealed class ScanCommand : FilteredCommandBase
{
    /// <summary>Also analyse the inputs, together, for stackless greenlets (tier 2).</summary>
    [Option("--suspension", Description = "Also list, per assembly, the methods on a suspendable path and where a stackless greenlet would pin, and why (the inputs are analysed together).")]
    public bool Suspension { get; set; }

    private int OnExecute()
    {
        if (Filter() is not { } filter)
        {
            return ExitCodes.Usage;
        }

        var set = InputExpander.Expand(Paths);
        var result = new PatchRun(new PatchOptions(null, false, true, null), filter, !Json, Suspension, ResumableFrames).Run(set);
        return RunPrinter.Print(Reporter, set, result, dryRun: true, fullReports: true);
    }
}
