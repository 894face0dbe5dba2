using Microsoft.Extensions.Logging;

namespace Gevent.Servers;

/// <summary>Limits and settings of an HTTP server; the defaults suit a public-facing server.</summary>
public sealed class HttpServerOptions
{
    /// <summary>Longest request line, and longest single header line, in bytes; a longer request line gets 414, a longer header 431. Default 8 KiB.</summary>
    public int MaxRequestLineLength { get; init; } = 8 * 1024;

    /// <summary>Most header fields in a request; more gets 431. Default 100.</summary>
    public int MaxHeaderCount { get; init; } = 100;

    /// <summary>Most bytes in the header section; more gets 431. Default 32 KiB.</summary>
    public int MaxHeaderBytes { get; init; } = 32 * 1024;

    /// <summary>Largest request body in bytes; larger gets 413. Default 30 MiB.</summary>
    public long MaxBodySize { get; init; } = 30L * 1024 * 1024;

    /// <summary>Longest chunk-size line of a chunked body (size plus extensions); longer gets 400. Default 256.</summary>
    public int MaxChunkLineLength { get; init; } = 256;

    /// <summary>Most bytes of trailer fields after a chunked body; more gets 431. Default 8 KiB.</summary>
    public int MaxTrailerBytes { get; init; } = 8 * 1024;

    /// <summary>How long a client may take to send a request head. Default 30 s.</summary>
    public TimeSpan RequestHeadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle keep-alive connection stays open. Default 60 s.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How much of a request body the handler left unread the server will read past to keep the connection; more closes it. Default 64 KiB.</summary>
    public long MaxDrainBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// Where each request is logged, one line in the Combined Log Format at Information level, tagged with the serving
    /// hub as <see cref="GeventLogging"/>'s entries are; null for no access log.
    /// </summary>
    public ILogger? AccessLog { get; init; }

    /// <summary>
    /// Whether each connection runs in a stackless greenlet (tier 2), waiting for its requests without a thread of its
    /// own. Null (the default): when the handler is woven with resumable frames, whose waits then suspend too. True: also
    /// for a handler that is not, which suits one that never waits (a wait inside it keeps a thread, at about half the
    /// throughput of a thread-backed connection). False: every connection on a thread of its own (tier 1).
    /// </summary>
    public bool? StacklessConnections { get; init; }

    internal void Validate()
    {
        Positive(MaxRequestLineLength, nameof(MaxRequestLineLength));
        Positive(MaxHeaderCount, nameof(MaxHeaderCount));
        Positive(MaxHeaderBytes, nameof(MaxHeaderBytes));
        Positive(MaxBodySize, nameof(MaxBodySize));
        Positive(MaxChunkLineLength, nameof(MaxChunkLineLength));
        Positive(MaxTrailerBytes, nameof(MaxTrailerBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxDrainBytes, nameof(MaxDrainBytes));
        Durations.Validate(RequestHeadTimeout, nameof(RequestHeadTimeout), allowInfinite: true);
        Durations.Validate(KeepAliveTimeout, nameof(KeepAliveTimeout), allowInfinite: true);
    }

    private static void Positive(long value, string name) => ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, name);
}
