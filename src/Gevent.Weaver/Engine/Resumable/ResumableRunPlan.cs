using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// What the resumable-frames passes of one run rewrite, planned once over every module of the run that takes
/// part (analysed as one program, as <c>scan --suspension</c> does), so that a call from one of them into a
/// method another rewrites is linked. Each module's pass joins before any plans (the pipeline calls every
/// <c>VisitModule</c> of a stage first); the plan is made when the first of them visits a method.
/// </summary>
internal sealed class ResumableRunPlan
{
    private readonly List<(WeavingContext Context, PatchCatalog Catalog)> _modules = new();
    private Dictionary<MethodDefinition, IReadOnlyList<ResumableSite>>? _rewritten;
    private HashSet<MethodDefinition> _suspendable = new();
    private readonly Dictionary<string, MethodDefinition> _byKey = new();

    /// <summary>Adds <paramref name="context"/>'s module, woven with <paramref name="catalog"/>, to the modules planned together.</summary>
    public void Join(WeavingContext context, PatchCatalog catalog) => _modules.Add((context, catalog));

    /// <summary>The methods of the run to rewrite, with the sites each links (planned at the first call).</summary>
    public IReadOnlyDictionary<MethodDefinition, IReadOnlyList<ResumableSite>> Rewritten => _rewritten ??= Plan();

    /// <summary>
    /// The method of the run <paramref name="method"/> names (resolved through whichever module's resolver, it is
    /// another object than the run's own definition), or null when it is not in the run.
    /// </summary>
    public MethodDefinition? Find(MethodReference method)
    {
        _ = Rewritten;
        return Resolution.OrNull(method.Resolve) is { } definition && _byKey.TryGetValue(CallGraph.Key(definition), out var own) ? own : null;
    }

    /// <summary>The never-suspending greenlet bodies of the run given a prologue that takes their carrier's link (<c>SpawnSitesPass</c>).</summary>
    public HashSet<MethodDefinition> TakesCarrierLink { get; } = new();

    /// <summary>Whether <paramref name="method"/> is a method of the run that lies on no suspendable path.</summary>
    public bool NeverSuspends(MethodDefinition method) => method.HasBody && !_suspendable.Contains(method);

    private Dictionary<MethodDefinition, IReadOnlyList<ResumableSite>> Plan()
    {
        var analysis = SuspendablePathAnalysis.SitesOf(_modules.Select(m => (m.Context.Module, m.Catalog)).ToList());
        _suspendable = new HashSet<MethodDefinition>(analysis.Keys);
        foreach (var method in _modules.SelectMany(m => m.Context.Module.GetTypes()).SelectMany(t => t.Methods))
        {
            _byKey[CallGraph.Key(method)] = method;
        }

        return ResumablePlanner.Plan(analysis, new HashSet<MethodDefinition>(_modules.SelectMany(m => m.Context.Methods)));
    }
}
