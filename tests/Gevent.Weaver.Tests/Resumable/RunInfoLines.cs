using System.Globalization;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>What the current hub's run info says of its greenlets and parks.</summary>
internal static class RunInfoLines
{
    /// <summary>The line of the greenlet named <paramref name="name"/>.</summary>
    public static string LineOf(string name) =>
        Hub.Current.FormatRunInfo().Split('\n').Single(l => l.TrimStart().StartsWith("+ " + name + ":", StringComparison.Ordinal));

    /// <summary>The hub's stackless suspensions so far (0 if it has none).</summary>
    public static long Suspensions(string info) =>
        info.Split('\n').Where(l => l.StartsWith("stackless suspensions: ", StringComparison.Ordinal))
            .Select(l => long.Parse(l["stackless suspensions: ".Length..].Trim(), CultureInfo.InvariantCulture)).SingleOrDefault();
}
