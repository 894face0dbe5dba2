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
    public void Run(ModuleDefinition module, WeaveReport report)
    {
        // Taken once: types and methods that passes add (frames, helpers) are not woven again.
        var skip = SkipWeaving.Read(module);
        var methods = module.GetTypes().Where(filter.Includes).SelectMany(t => t.Methods).Where(m => !skip.Skips(m)).ToList();
        var context = new WeavingContext(module, methods);
        foreach (var pass in passes)
        {
            pass.VisitModule(context);
            for (var i = 0; i < methods.Count; i++)
            {
                context.EnterMethod(i);
                pass.VisitMethod(methods[i], context);
            }
        }

        context.Complete(report);
        SkipWeaving.Remove(module);
    }
}
