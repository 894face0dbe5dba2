using System.Collections.Generic;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// Tier 2, stage 2: rewrites the methods of the module that the suspendable-path analysis finds capturable
/// (as <see cref="ResumablePlanner"/> narrows them) into resumable frames, so a greenlet running them suspends
/// without a thread of its own. Runs after the call sites are rewritten, since the analysis reads the
/// replacements from the woven IL. The module is analysed alone: calls into other assemblies are not linked.
/// </summary>
internal sealed class ResumableFramesPass(PatchCatalog catalog) : WeavingPass
{
    private Dictionary<MethodDefinition, IReadOnlyList<ResumableSite>> _plan = new();
    private FrameContract? _contract;

    public override void VisitModule(WeavingContext context)
    {
        _contract = FrameContract.For(context.Module, catalog);
        if (_contract is not null)
        {
            var analysis = SuspendablePathAnalysis.SitesOf([(context.Module, catalog)]);
            context.Suspendable = new HashSet<MethodDefinition>(analysis.Keys);
            _plan = ResumablePlanner.Plan(analysis, new HashSet<MethodDefinition>(context.Methods));
        }
    }

    public override void VisitMethod(MethodDefinition method, WeavingContext context)
    {
        if (_contract is not null && _plan.TryGetValue(method, out var sites))
        {
            ResumableMethodRewriter.Rewrite(method, sites, _contract, context.Edit(method));
        }
    }
}
