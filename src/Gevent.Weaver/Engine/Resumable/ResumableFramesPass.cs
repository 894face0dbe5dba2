using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// Tier 2, stage 2: rewrites the methods of the module that the suspendable-path analysis finds capturable
/// (as <see cref="ResumablePlanner"/> narrows them) into resumable frames, so a greenlet running them suspends
/// without a thread of its own. Runs after the call sites are rewritten, since the analysis reads the
/// replacements from the woven IL. Every module of the run whose catalog has the frame contract is planned
/// with the others (<see cref="ResumableRunPlan"/>), so a call into a method another module of the run rewrites
/// is linked; a call into an assembly woven earlier links through its <c>[Resumable]</c> mark.
/// </summary>
internal sealed class ResumableFramesPass(PatchCatalog catalog) : WeavingPass
{
    private FrameContract? _contract;
    private ResumableRunPlan? _plan;

    public override void VisitModule(WeavingContext context)
    {
        _contract = FrameContract.For(context.Module, catalog);
        if (_contract is not null)
        {
            _plan = context.Run.Shared<ResumableRunPlan>();
            _plan.Join(context, catalog);
        }
    }

    public override void VisitMethod(MethodDefinition method, WeavingContext context)
    {
        if (_contract is not null && _plan!.Rewritten.TryGetValue(method, out var sites))
        {
            ResumableMethodRewriter.Rewrite(method, sites, _contract, context.Edit(method));
            context.Restructured = context.Restructured with { ResumableMethods = context.Restructured.ResumableMethods + 1 };
        }
    }
}
