using System.Reflection;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// testassets/ResumableSpawnCases woven once per test run with resumable frames on, loaded beside the original in a
/// context of its own; shared by the spawn-site, socket-wait and stream-wait tests.
/// </summary>
internal static class WovenSpawnCases
{
    private static readonly Lazy<(Assembly Assembly, byte[] Image)> s_woven = new(() => ResumableWeaving.Weave("ResumableSpawnCases"));

    /// <summary>The woven image, for tests that read the woven IL.</summary>
    public static byte[] Image => s_woven.Value.Image;

    /// <summary>The same type in the woven assembly.</summary>
    public static Type TypeOf(Type original) => s_woven.Value.Assembly.GetType(original.FullName!, throwOnError: true)!;

    /// <summary>
    /// Calls the member <paramref name="method"/> of the woven copy of <paramref name="original"/>: an instance one on
    /// <paramref name="target"/>, a static one with null.
    /// </summary>
    public static object Call(Type original, object? target, string method, params object[] arguments) =>
        TypeOf(original).GetMethod(method)!.Invoke(target, arguments)!;
}
