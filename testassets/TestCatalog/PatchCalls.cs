using System.Collections.Concurrent;

namespace Gevent.TestCatalog;

/// <summary>Counts calls that reached a test replacement, so tests see which sites were rewritten.</summary>
public static class PatchCalls
{
    private static readonly ConcurrentDictionary<string, int> s_counts = new();

    /// <summary>Calls to the replacement named <paramref name="name"/> so far.</summary>
    public static int Count(string name) => s_counts.GetValueOrDefault(name);

    internal static void Record(string name) => s_counts.AddOrUpdate(name, 1, (_, n) => n + 1);
}
