using System.Collections.Concurrent;

namespace BlockingWebHandlers;

/// <summary>Which tagged requests are reading their body now, so that a test knows a read is waiting for the client.</summary>
public static class ReadingProbe
{
    private static readonly ConcurrentDictionary<string, bool> s_reading = new();

    /// <summary>Whether the request tagged <paramref name="tag"/> is in its body read.</summary>
    public static bool IsReading(string tag) => s_reading.ContainsKey(tag);

    /// <summary>Runs <paramref name="read"/> with the request tagged <paramref name="tag"/> marked as reading.</summary>
    public static T Reading<T>(string tag, Func<T> read)
    {
        s_reading[tag] = true;
        try
        {
            return read();
        }
        finally
        {
            s_reading.TryRemove(tag, out _);
        }
    }
}
