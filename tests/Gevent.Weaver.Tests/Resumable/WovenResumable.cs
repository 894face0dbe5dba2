using System.Reflection;
using System.Runtime.Loader;
using Gevent.Weaving;
using Mono.Cecil;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// testassets/ResumableCases woven once per test run with resumable frames on (the engine as Fody and the CLI
/// run it, against the real runtime's catalog), loaded beside the original in a context of its own.
/// </summary>
internal static class WovenResumable
{
    private static readonly Lazy<Assembly> Woven = new(Weave);

    public static Assembly Assembly => Woven.Value;

    /// <summary>The same type in the woven assembly.</summary>
    public static Type TypeOf(Type original) => Assembly.GetType(original.FullName!, throwOnError: true)!;

    /// <summary>A woven <c>Worker</c>.</summary>
    public static object Worker(int rounds, int milliseconds) => Activator.CreateInstance(TypeOf(typeof(ResumableCases.Worker)), rounds, milliseconds)!;

    /// <summary>A woven worker's body, as the greenlet's delegate: its target is the woven method itself.</summary>
    public static Action Body(object worker, string method) => (Action)Delegate.CreateDelegate(typeof(Action), worker, method);

    /// <summary>A woven <c>Handlers</c> throwing at <paramref name="throwAt"/>.</summary>
    public static object Handlers(string throwAt) => Activator.CreateInstance(TypeOf(typeof(ResumableCases.Handlers)), throwAt)!;

    public static List<string> Log(object worker) => (List<string>)worker.GetType().GetProperty("Log")!.GetValue(worker)!;

    public static long Result(object worker) => (long)worker.GetType().GetProperty("Result")!.GetValue(worker)!;

    private static Assembly Weave()
    {
        using var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(AppContext.BaseDirectory);
        var parameters = new ReaderParameters { AssemblyResolver = resolver };
        var catalog = CatalogReader.Read([ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "Gevent.Runtime.dll"), parameters)]);
        using var module = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "ResumableCases.dll"), parameters);
        new ModulePatcher(catalog, Gevent.Weaving.TypeFilter.All, resumableFrames: true).Patch(module);
        using var image = new MemoryStream();
        module.Write(image);
        image.Position = 0;
        // Its own context, as the original is loaded by name in the default one; Gevent.Runtime is shared from there.
        return new AssemblyLoadContext("woven ResumableCases").LoadFromStream(image);
    }
}
