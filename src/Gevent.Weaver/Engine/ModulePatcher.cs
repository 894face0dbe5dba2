using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// Patches one loaded module: refuses what cannot be woven, honours the marker, runs the weaving passes
/// (<see cref="WeavingPipeline"/>) over the types the filter admits, and marks the module. Writing the module
/// is the caller's business (Fody writes it itself; <see cref="AssemblyFilePatcher"/> for files).
/// </summary>
/// <param name="catalog">The patches to apply.</param>
/// <param name="filter">The types to weave.</param>
/// <param name="resumableFrames">
/// Whether methods that can suspend become resumable frames (tier 2), so greenlets running them need no thread
/// of their own; off by default until that stage is complete.
/// </param>
public sealed class ModulePatcher(PatchCatalog catalog, TypeFilter filter, bool resumableFrames = false)
{
    private readonly TypeFilter _filter = filter;
    private readonly bool _resumableFrames = resumableFrames;

    /// <summary>The catalog this patcher applies.</summary>
    public PatchCatalog Catalog => catalog;

    /// <summary>Patches <paramref name="module"/> in memory and returns what was done.</summary>
    /// <exception cref="WeavingException">The module cannot be woven, or carries another engine's marker.</exception>
    public WeaveReport Patch(ModuleDefinition module) => PatchTogether([(this, module)])[0];

    /// <summary>
    /// Patches several modules in memory as one run, each with its patcher, and returns what was done to each, in
    /// order. With resumable frames, the run is planned as one program: a call from one module into a method another
    /// rewrites links, so a greenlet suspends stacklessly across the assembly boundary.
    /// </summary>
    /// <exception cref="WeavingException">A module cannot be woven, or carries another engine's marker (nothing is patched then).</exception>
    public static IReadOnlyList<WeaveReport> PatchTogether(IReadOnlyList<(ModulePatcher Patcher, ModuleDefinition Module)> members)
    {
        var reports = members.Select(m => m.Patcher.Check(m.Module)).ToList();
        var weaving = members.Select((m, i) => (m.Patcher, m.Module, Report: reports[i])).Where(m => !m.Report.AlreadyPatched).ToList();
        WeavingPipeline.RunTogether(weaving.Select(m => (WeavingPipeline.Standard(m.Patcher.Catalog, m.Patcher._filter, m.Patcher._resumableFrames), m.Module, m.Report)).ToList());
        foreach (var (patcher, module, _) in weaving)
        {
            PatchMarker.Write(module, PatchMarker.For(patcher.Catalog));
        }

        return reports;
    }

    /// <summary>
    /// Refuses <paramref name="module"/> if it cannot be woven or carries another engine's marker, before anything
    /// is changed; else the (empty) report patching it starts from.
    /// </summary>
    /// <exception cref="WeavingException">The module cannot be woven, or carries another engine's marker.</exception>
    public WeaveReport Check(ModuleDefinition module)
    {
        EnsureWeavable(module);
        var marker = PatchMarker.For(catalog);
        var existing = PatchMarker.Read(module);
        if (existing is not null && existing != marker)
        {
            throw new WeavingException(
                $"{module.Assembly.Name.Name} was already patched by another Gevent engine or catalog ({existing}); this one is {marker}. Patch the original, unpatched assembly instead.");
        }

        return new WeaveReport(module.Assembly.Name.Name, marker, existing is not null);
    }

    private static void EnsureWeavable(ModuleDefinition module)
    {
        var name = module.Assembly.Name.Name;
        if ((module.Attributes & ModuleAttributes.ILOnly) == 0)
        {
            throw new WeavingException($"{name} is mixed-mode (it contains native code, e.g. C++/CLI): only IL-only assemblies can be patched.");
        }

        if ((module.Attributes & ModuleAttributes.ILLibrary) != 0)
        {
            throw new WeavingException($"{name} is a ReadyToRun image: patch the IL assembly before ReadyToRun compilation (PublishReadyToRun), not after.");
        }

        if (module.Assembly.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.ReferenceAssemblyAttribute"))
        {
            throw new WeavingException($"{name} is a reference assembly (metadata only, no code to patch): patch the implementation assembly.");
        }
    }
}
