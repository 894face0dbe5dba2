using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// The ordered passes that weave a module, over the methods of the types a <see cref="TypeFilter"/> admits
/// and no <see cref="SkipWeaving"/> opts out.
/// Each pass visits the whole module before the next one starts (see <see cref="WeavingPass"/>).
/// </summary>
internal sealed class WeavingPipeline(TypeFilter filter, IReadOnlyList<WeavingPass> passes)
{
    private readonly TypeFilter _filter = filter;
    private readonly IReadOnlyList<WeavingPass> _passes = passes;

    /// <summary>
    /// The engine's passes: blocking call sites are rewritten first, then what still blocks is reported, then
    /// (with <paramref name="resumableFrames"/>) the methods that can suspend become resumable frames, and the
    /// greenlets woven code spawns over them start stackless.
    /// Built per module, as a pass keeps per-module state between its visits.
    /// </summary>
    public static WeavingPipeline Standard(PatchCatalog catalog, TypeFilter filter, bool resumableFrames) =>
        new(filter, resumableFrames
            ? [new CallSiteRewritingPass(catalog), new BlockingCallScanPass(catalog), new ResumableFramesPass(catalog), new SpawnSitesPass(catalog)]
            : [new CallSiteRewritingPass(catalog), new BlockingCallScanPass(catalog)]);

    /// <summary>Runs every pass over <paramref name="module"/> and adds what they found to <paramref name="report"/>.</summary>
    public void Run(ModuleDefinition module, WeaveReport report) => RunTogether([(this, module, report)]);

    /// <summary>
    /// Weaves several modules in one run, each with its pipeline: the passes run in stages (the first pass of every
    /// pipeline over its whole module, then the second…), and within a stage every module's <c>VisitModule</c> comes
    /// before any method is visited, so a pass that plans over the whole run (calls from one module into another)
    /// sees every module as the earlier stages left it, and every module of the run that takes part.
    /// </summary>
    public static void RunTogether(IReadOnlyList<(WeavingPipeline Pipeline, ModuleDefinition Module, WeaveReport Report)> members)
    {
        var run = new WeavingRun();
        var contexts = members.Select(m => m.Pipeline.Begin(m.Module, run)).ToList();
        var stages = members.Count == 0 ? 0 : members.Max(m => m.Pipeline._passes.Count);
        for (var stage = 0; stage < stages; stage++)
        {
            var taking = Enumerable.Range(0, members.Count).Where(i => stage < members[i].Pipeline._passes.Count).ToList();
            foreach (var i in taking)
            {
                members[i].Pipeline._passes[stage].VisitModule(contexts[i]);
            }

            foreach (var i in taking)
            {
                var pass = members[i].Pipeline._passes[stage];
                var context = contexts[i];
                for (var m = 0; m < context.Methods.Count; m++)
                {
                    context.EnterMethod(m);
                    pass.VisitMethod(context.Methods[m], context);
                }
            }
        }

        for (var i = 0; i < members.Count; i++)
        {
            contexts[i].Complete(members[i].Report);
            SkipWeaving.Remove(members[i].Module);
        }
    }

    private WeavingContext Begin(ModuleDefinition module, WeavingRun run)
    {
        // Taken once: types and methods that passes add (frames, helpers) are not woven again.
        var skip = SkipWeaving.Read(module);
        var methods = module.GetTypes().Where(_filter.Includes).SelectMany(t => t.Methods).Where(m => !skip.Skips(m)).ToList();
        return new WeavingContext(module, methods, run);
    }
}
