using Microsoft.Extensions.Logging;

namespace Gevent.Tests.Diagnostics;

/// <summary>One entry a <see cref="RecordingLoggerFactory"/> kept.</summary>
internal sealed record RecordedEntry(string Category, LogLevel Level, string Text, Exception? Exception, List<KeyValuePair<string, object?>> Fields)
{
    /// <summary>The hub the entry is tagged with, or null.</summary>
    public int? Hub => Fields.Where(tag => tag.Key == GeventMetrics.HubTag).Select(tag => (int?)tag.Value).SingleOrDefault();
}
