using System.Collections.Generic;
using System.Linq;
using Gevent.Patches;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// Which methods of a set of modules woven together lie on a suspendable path — they reach a cooperative
/// blocking point directly or through other methods of the set — and, for each of their call sites that
/// may suspend, whether its frame could be captured or the greenlet would pin, and why. Tier 2's first
/// stage: nothing is rewritten. The blocking points are the call sites the rewriting pass turned into calls
/// of catalog replacements, read from the woven IL itself, so the catalog stays the one source of truth, and
/// calls of resumable methods outside the set (<see cref="ResumableCallees"/>: the runtime's own waits). A replacement
/// marked <c>[NeverWaits]</c> (<c>Dispose</c>, <c>Close</c>) is none; one of a virtual member runs the set's overrides of
/// it under its own frame, as outside code handed a callback does.
/// </summary>
public static class SuspendablePathAnalysis
{
    /// <summary>
    /// Analyses <paramref name="modules"/> (already woven, each with the catalog it was woven with) as one
    /// program and reports per module, in the order given: with the sites the resumable frames would leave unlinked
    /// in capturable methods, as the frames pass would plan the modules woven together.
    /// </summary>
    public static IReadOnlyList<SuspensionReport> Run(IReadOnlyList<(ModuleDefinition Module, PatchCatalog Catalog)> modules)
    {
        var (graph, suspendable, classifier) = Analyse(modules);
        var sites = suspendable.ToDictionary(m => m, m => Classify(m, graph, suspendable, classifier).ToList());
        var all = new HashSet<MethodDefinition>(modules.SelectMany(m => m.Module.GetTypes()).SelectMany(t => t.Methods));
        var unlinked = ResumablePlanner.Unlinked(sites, all, ResumablePlanner.Plan(sites, all)).ToDictionary(u => u.Site.Instruction, u => u.Reason);
        return modules.Select(m => Report(m.Module, graph, sites, unlinked)).ToList();
    }

    /// <summary>
    /// The suspendable methods of <paramref name="modules"/> (analysed as one program) with their call sites
    /// that may suspend and why each would pin: what the resumable-frames pass rewrites from.
    /// </summary>
    internal static Dictionary<MethodDefinition, List<(GraphCall Site, IReadOnlyList<PinReason> Reasons)>> SitesOf(IReadOnlyList<(ModuleDefinition Module, PatchCatalog Catalog)> modules)
    {
        var (graph, suspendable, classifier) = Analyse(modules);
        return suspendable.ToDictionary(m => m, m => Classify(m, graph, suspendable, classifier).ToList());
    }

    private static (CallGraph Graph, HashSet<MethodDefinition> Suspendable, PinClassifier Classifier) Analyse(IReadOnlyList<(ModuleDefinition Module, PatchCatalog Catalog)> modules)
    {
        var catalogs = modules.Select(m => m.Catalog).Distinct().ToList();
        PatchEntry? ReplacementOf(MethodReference callee) => catalogs.Select(c => c.ReplacementOf(callee)).FirstOrDefault(e => e is not null);

        var resumable = new ResumableCallees(modules.Select(m => m.Module));
        var graph = new CallGraph(
            modules.Select(m => m.Module),
            callee => ReplacementOf(callee) is { NeverWaits: false } || resumable.Contains(callee),
            callee => ReplacementOf(callee) is { NeverWaits: true, Kind: PatchKind.Virtual } entry ? VirtualOriginal(entry) : null);
        return (graph, FixedPoint(graph), new PinClassifier(new RefLikeTypes(), ReplacementOf));
    }

    /// <summary>The virtual member <paramref name="entry"/> replaces (<c>IDisposable.Dispose</c>): its replacement calls it, so it runs the set's overrides.</summary>
    private static MethodDefinition? VirtualOriginal(PatchEntry entry) =>
        Resolution.OrNull(entry.Replacement.Parameters[0].ParameterType.Resolve)?.Methods
            .FirstOrDefault(m => m.IsVirtual && m.Name == entry.MethodName && m.Parameters.Count == entry.Replacement.Parameters.Count - 1);

    private static IEnumerable<(GraphCall Site, IReadOnlyList<PinReason> Reasons)> Classify(MethodDefinition method, CallGraph graph, HashSet<MethodDefinition> suspendable, PinClassifier classifier) =>
        classifier.Classify(method, graph.Sites[method].Where(s => s.Blocks || s.Kind == SuspensionSiteKind.Reflection || s.Targets.Any(suspendable.Contains)));

    /// <summary>
    /// The suspendable methods: those with a blocking site, then, over the reverse call graph, every caller
    /// of a suspendable one until nothing changes. Reflection may run any method, so once anything is
    /// suspendable every reflection invocation is too.
    /// </summary>
    private static HashSet<MethodDefinition> FixedPoint(CallGraph graph)
    {
        var callers = new Dictionary<MethodDefinition, List<MethodDefinition>>();
        foreach (var (caller, sites) in graph.Sites.Select(p => (p.Key, p.Value)))
        {
            foreach (var target in sites.SelectMany(s => s.Targets))
            {
                if (!callers.TryGetValue(target, out var list))
                {
                    callers.Add(target, list = []);
                }

                list.Add(caller);
            }
        }

        var suspendable = new HashSet<MethodDefinition>();
        var work = new Queue<MethodDefinition>();
        void Add(MethodDefinition method)
        {
            if (suspendable.Add(method))
            {
                work.Enqueue(method);
            }
        }

        foreach (var (method, _) in graph.Sites.Where(p => p.Value.Any(s => s.Blocks)).Select(p => (p.Key, p.Value)))
        {
            Add(method);
        }

        var reflectionSeeded = false;
        while (work.Count > 0)
        {
            var method = work.Dequeue();
            foreach (var caller in callers.TryGetValue(method, out var list) ? list : [])
            {
                Add(caller);
            }

            if (!reflectionSeeded)
            {
                reflectionSeeded = true;
                foreach (var (invoker, _) in graph.Sites.Where(p => p.Value.Any(s => s.Kind == SuspensionSiteKind.Reflection)).Select(p => (p.Key, p.Value)))
                {
                    Add(invoker);
                }
            }
        }

        return suspendable;
    }

    private static SuspensionReport Report(
        ModuleDefinition module,
        CallGraph graph,
        Dictionary<MethodDefinition, List<(GraphCall Site, IReadOnlyList<PinReason> Reasons)>> sites,
        Dictionary<Instruction, UnlinkedReason> unlinked)
    {
        var methods = new List<SuspendableMethod>();
        foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(sites.ContainsKey))
        {
            var found = sites[method].Select(c => new SuspensionSite(method, c.Site.Instruction, c.Site.Kind, c.Reasons, unlinked.TryGetValue(c.Site.Instruction, out var reason) ? reason : null)).ToList();
            methods.Add(new SuspendableMethod(method.DeclaringType.FullName + "::" + method.Name, found, graph.EnteredFromUnwovenCode.Contains(method)));
        }

        return new SuspensionReport(module.Assembly.Name.Name, methods);
    }
}
