using System.Reflection;
using Gevent.CompilerServices;
using Mono.Cecil;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// testassets/ResumableCases woven once per test run with resumable frames on (the engine as Fody and the CLI
/// run it, against the real runtime's catalog), loaded beside the original in a context of its own.
/// </summary>
internal static class WovenResumable
{
    private static readonly Lazy<Assembly> s_woven = new(() => ResumableWeaving.Weave("ResumableCases").Assembly);

    public static Assembly Assembly => s_woven.Value;

    /// <summary>The same type in the woven assembly.</summary>
    public static Type TypeOf(Type original) => Assembly.GetType(original.FullName!, throwOnError: true)!;

    /// <summary>A woven <c>Worker</c>.</summary>
    public static object Worker(int rounds, int milliseconds) => Activator.CreateInstance(TypeOf(typeof(ResumableCases.Worker)), rounds, milliseconds)!;

    /// <summary>A woven worker's body, as the greenlet's delegate: its target is the woven method itself.</summary>
    public static Action Body(object worker, string method) => (Action)Delegate.CreateDelegate(typeof(Action), worker, method);

    /// <summary>A woven <c>Handlers</c> throwing at <paramref name="throwAt"/>.</summary>
    public static object Handlers(string throwAt) => Activator.CreateInstance(TypeOf(typeof(ResumableCases.Handlers)), throwAt)!;

    /// <summary>Whether the weaver made <paramref name="method"/> resumable (it carries <see cref="ResumableAttribute"/>).</summary>
    public static bool IsResumable(MethodInfo method) => method.CustomAttributes.Any(a => a.AttributeType == typeof(ResumableAttribute));

    public static List<string> Log(object worker) => (List<string>)worker.GetType().GetProperty("Log")!.GetValue(worker)!;

    public static long Result(object worker) => (long)worker.GetType().GetProperty("Result")!.GetValue(worker)!;

    /// <summary>The pin reasons of each suspendable method of ResumableCases, woven, over all its sites.</summary>
    public static Dictionary<string, HashSet<PinReason>> PinReasons() =>
        Suspendable().ToDictionary(m => m.Key, m => m.Value.Sites.SelectMany(s => s.Reasons).ToHashSet());

    /// <summary>Each suspendable method of ResumableCases, woven, by name, as the analysis reports it.</summary>
    public static Dictionary<string, SuspendableMethod> Suspendable()
    {
        using var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(AppContext.BaseDirectory);
        var parameters = new ReaderParameters { AssemblyResolver = resolver };
        var catalog = CatalogReader.Read([ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "Gevent.Runtime.dll"), parameters)]);
        using var module = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "ResumableCases.dll"), parameters);
        new ModulePatcher(catalog, Gevent.Weaver.TypeFilter.All).Patch(module);
        return SuspendablePathAnalysis.Run([(module, catalog)])[0].Methods.ToDictionary(m => m.Name);
    }
}
