using System.Reflection;
using System.Runtime.Loader;
using Gevent.Weaver;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>Weaves test assets with resumable frames on, as Fody and the CLI do, against the real runtime's catalog.</summary>
internal static class ResumableWeaving
{
    /// <summary>
    /// The asset <paramref name="assemblyName"/> from the test's output folder, woven and loaded in a context of its
    /// own (the original is loaded by name in the default one; Gevent.Runtime is shared from there), with its image
    /// for tests that read the woven IL.
    /// </summary>
    public static (Assembly Assembly, byte[] Image) Weave(string assemblyName)
    {
        var woven = WeaveTogether(assemblyName);
        return (woven.Woven[0], woven.Images[0]);
    }

    /// <summary>
    /// The assets <paramref name="assemblyNames"/> woven in one run, as the CLI weaves its inputs
    /// (<see cref="ModulePatcher.PatchTogether"/>), and loaded together in a context of their own, where they
    /// reference each other's woven copies.
    /// </summary>
    public static WovenSet WeaveTogether(params string[] assemblyNames)
    {
        using var resolver = Resolver(AppContext.BaseDirectory);
        var parameters = new ReaderParameters { AssemblyResolver = resolver };
        var patcher = Patcher(parameters);
        var modules = assemblyNames.Select(name => ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, name + ".dll"), parameters)).ToList();
        try
        {
            ModulePatcher.PatchTogether(modules.Select(m => (patcher, m)).ToList());
            return WovenSet.Load(string.Join(" + ", assemblyNames), modules.Select(Image).ToList());
        }
        finally
        {
            modules.ForEach(m => m.Dispose());
        }
    }

    /// <summary>
    /// The assets <paramref name="assemblyNames"/> woven one by one in that order, each written to a folder of its own
    /// before the next is woven against it (as a library patched in place, or built with Fody, before its consumer),
    /// and loaded together.
    /// </summary>
    public static WovenSet WeaveInOrder(params string[] assemblyNames)
    {
        var folder = Directory.CreateTempSubdirectory("gevent-woven-").FullName;
        try
        {
            var images = new List<byte[]>();
            foreach (var name in assemblyNames)
            {
                // The folder of what was woven before is searched first, so references resolve to the woven copies.
                using var resolver = Resolver(folder, AppContext.BaseDirectory);
                var parameters = new ReaderParameters { AssemblyResolver = resolver };
                using var module = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, name + ".dll"), parameters);
                Patcher(parameters).Patch(module);
                images.Add(Image(module));
                File.WriteAllBytes(Path.Combine(folder, name + ".dll"), images[^1]);
            }

            return WovenSet.Load(string.Join(" then ", assemblyNames), images);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static DefaultAssemblyResolver Resolver(params string[] folders)
    {
        var resolver = new DefaultAssemblyResolver();
        // Cecil searches the working directory (the test's output folder) first unless told not to.
        resolver.RemoveSearchDirectory(".");
        resolver.RemoveSearchDirectory("bin");
        foreach (var folder in folders)
        {
            resolver.AddSearchDirectory(folder);
        }

        return resolver;
    }

    private static ModulePatcher Patcher(ReaderParameters parameters) =>
        new(CatalogReader.Read([ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "Gevent.Runtime.dll"), parameters)]), Gevent.Weaver.TypeFilter.All, resumableFrames: true);

    private static byte[] Image(ModuleDefinition module)
    {
        using var image = new MemoryStream();
        module.Write(image);
        return image.ToArray();
    }

    /// <summary>
    /// The sites of <paramref name="type"/>'s <paramref name="method"/> in a woven <paramref name="image"/> that make a
    /// greenlet, as "Type.Member" in IL order: calls of a Spawn/Create member, and Gevent's constructors.
    /// </summary>
    public static string GreenletsMadeIn(byte[] image, Type type, string method)
    {
        using var module = ModuleDefinition.ReadModule(new MemoryStream(image));
        return string.Join(", ", module.GetType(type.FullName).Methods.Single(m => m.Name == method).Body.Instructions
            .Where(i => i.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj && i.Operand is MethodReference callee
                && (callee.Name.StartsWith("Spawn", StringComparison.Ordinal) || callee.Name.StartsWith("Create", StringComparison.Ordinal)
                    || (callee.Name == ".ctor" && callee.DeclaringType.Namespace == "Gevent")))
            .Select(i => ((MethodReference)i.Operand).DeclaringType.Name + "." + ((MethodReference)i.Operand).Name));
    }
}
