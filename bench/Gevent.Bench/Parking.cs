namespace Gevent.Bench;

/// <summary>How a family parks many workers for the memory probe: the body each runs, and how to end them all.</summary>
/// <param name="Body">Blocks until released (or killed).</param>
/// <param name="Release">Makes every worker running <paramref name="Body"/> finish; the caller then joins them.</param>
internal sealed record Parking<THandle>(Action Body, Action<IReadOnlyList<THandle>> Release);
