using System.Reflection;
using System.Runtime.Loader;
using Gevent.Weaver;
using Mono.Cecil;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>Weaves a test asset with resumable frames on, as Fody and the CLI do, against the real runtime's catalog.</summary>
internal static class ResumableWeaving
{
    /// <summary>
    /// The asset <paramref name="assemblyName"/> from the test's output folder, woven and loaded in a context of its
    /// own (the original is loaded by name in the default one; Gevent.Runtime is shared from there), with its image
    /// for tests that read the woven IL.
    /// </summary>
    public static (Assembly Assembly, byte[] Image) Weave(string assemblyName)
    {
        using var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(AppContext.BaseDirectory);
        var parameters = new ReaderParameters { AssemblyResolver = resolver };
        var catalog = CatalogReader.Read([ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "Gevent.Runtime.dll"), parameters)]);
        using var module = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll"), parameters);
        new ModulePatcher(catalog, Gevent.Weaver.TypeFilter.All, resumableFrames: true).Patch(module);
        using var image = new MemoryStream();
        module.Write(image);
        image.Position = 0;
        return (new AssemblyLoadContext("woven " + assemblyName).LoadFromStream(image), image.ToArray());
    }
}
