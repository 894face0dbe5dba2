using System.Reflection;

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

    public static List<string> Log(object worker) => (List<string>)worker.GetType().GetProperty("Log")!.GetValue(worker)!;

    public static long Result(object worker) => (long)worker.GetType().GetProperty("Result")!.GetValue(worker)!;
}
