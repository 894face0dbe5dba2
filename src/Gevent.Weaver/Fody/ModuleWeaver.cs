using System.Collections.Generic;
using System.IO;
using System.Linq;
using Fody;
using Gevent.Weaver;
using Mono.Cecil;

/// <summary>
/// Fody's entry point (<c>&lt;Gevent /&gt;</c> in FodyWeavers.xml): reads the configuration, finds the
/// catalog through the project's references, and hands the module to the shared engine. Everything
/// else is in the engine, which the gevent-patch CLI compiles too.
/// </summary>
public sealed class ModuleWeaver : BaseModuleWeaver
{
    /// <inheritdoc />
    public override void Execute()
    {
        try
        {
            Weave();
        }
        catch (Gevent.Weaver.WeavingException e)
        {
            throw new Fody.WeavingException(e.Message);
        }
    }

    /// <summary>The weaver needs no types of its own from the framework.</summary>
    public override IEnumerable<string> GetAssembliesForScanning() => Enumerable.Empty<string>();

    private void Weave()
    {
        var config = WeaverConfig.Parse(Config);
        var runtime = ResolveAssembly(CatalogReader.RuntimeAssemblyName)
            ?? throw new Gevent.Weaver.WeavingException("Gevent: " + CatalogLocator.MissingRuntimeMessage(ModuleDefinition.Assembly.Name.Name));
        var catalog = CatalogLocator.Find(ModuleDefinition, runtime.MainModule, reference => ResolveAssembly(reference.Name));
        foreach (var conflict in catalog.Conflicts)
        {
            WriteInfo("Gevent: " + conflict);
        }

        var patcher = new ModulePatcher(catalog, new TypeFilter(config.Include, config.Exclude), config.ResumableFrames);
        var reports = new List<WeaveReport> { patcher.Patch(ModuleDefinition) };
        var cache = Path.Combine(Path.GetDirectoryName(AssemblyFilePath)!, "gevent-patched");
        reports.AddRange(new ReferencePatcher(ReferenceCopyLocalPaths, cache, patcher, ModuleDefinition.AssemblyResolver).Patch(config.PatchReferences));
        foreach (var site in reports.SelectMany(r => r.Sites))
        {
            if (site.Kind == WeaveSiteKind.Rewritten)
            {
                WriteInfo("Gevent: " + site);
            }
            else
            {
                WriteWarning($"Gevent: {site.Type}.{site.Method}: {site.Original}: {site.Detail}", site.SequencePoint);
            }
        }

        if (config.Report is { } report)
        {
            var path = Path.Combine(ProjectDirectoryPath, report);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, WeaveReport.ToJson(reports));
        }
    }
}
