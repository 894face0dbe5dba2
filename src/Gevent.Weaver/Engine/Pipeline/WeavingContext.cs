using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// The module being woven, as the passes share it: its report, and one editor per method body a pass
/// changes. The editors are completed once, after the last pass, so every pass reads the bodies with
/// their offsets as read.
/// </summary>
internal sealed class WeavingContext
{
    private readonly List<(int Place, WeaveSite Site)> _sites = new();
    private readonly Dictionary<MethodDefinition, MethodBodyEditor> _editors = new();
    private int _place;

    public WeavingContext(ModuleDefinition module, IReadOnlyList<MethodDefinition> methods, WeavingRun run)
    {
        Module = module;
        Methods = methods;
        Run = run;
        run.Add(this);
    }

    /// <summary>The module being woven.</summary>
    public ModuleDefinition Module { get; }

    /// <summary>The methods the passes visit: those of the types the filter admits, less the skipped ones.</summary>
    public IReadOnlyList<MethodDefinition> Methods { get; }

    /// <summary>The run this module is woven in, with the other modules woven together with it.</summary>
    public WeavingRun Run { get; }

    /// <summary>Methods rewritten into resumable frames, and spawn sites pointed at the stackless starters, so far.</summary>
    public (int ResumableMethods, int SpawnSites) Restructured { get; set; }

    /// <summary>Adds a site found in the method being visited (from <see cref="WeavingPass.VisitMethod"/>).</summary>
    public void Report(WeaveSite site) => _sites.Add((_place, site));

    /// <summary>The editor of <paramref name="method"/>'s body, the one way passes insert or replace instructions.</summary>
    public MethodBodyEditor Edit(MethodDefinition method)
    {
        if (!_editors.TryGetValue(method, out var editor))
        {
            editor = new MethodBodyEditor(method);
            _editors.Add(method, editor);
        }

        return editor;
    }

    /// <summary>Called by the pipeline before each method visit: its position in the module.</summary>
    internal void EnterMethod(int position) => _place = position;

    /// <summary>
    /// Completes every edited body and adds the sites to <paramref name="report"/> in module order (each
    /// method's sites together, in the order of the passes that found them), whatever the passes' order.
    /// </summary>
    internal void Complete(WeaveReport report)
    {
        foreach (var editor in _editors.Values)
        {
            editor.Complete();
        }

        foreach (var (_, site) in _sites.OrderBy(s => s.Place))
        {
            report.Add(site);
        }

        (report.ResumableMethodCount, report.SpawnSiteCount) = Restructured;
    }
}
