namespace Gevent.Bench.AspNet;

/// <summary>
/// One of issue 14's targets for one handler: a ratio of two cells' medians against its threshold. Value is null
/// when the ratio has no meaning (the baseline served nothing); Met is then whether the numerator served anything.
/// </summary>
internal sealed record AspNetTarget(string Handler, string Target, double? Value, double Threshold, bool AtLeast, bool Met)
{
    /// <summary>The targets issue 14 sets, computed from <paramref name="cells"/>.</summary>
    public static IReadOnlyList<AspNetTarget> From(IReadOnlyList<AspNetCell> cells)
    {
        AspNetCell? Cell(AspNetServer server, AspNetHandler handler) =>
            cells.FirstOrDefault(c => c.Server == server && c.Handler == handler);

        var targets = new List<AspNetTarget>();
        foreach (var handler in AspNetHandler.All)
        {
            if (Cell(AspNetServer.Gevent, handler) is not { } gevent)
            {
                continue;
            }

            if (!handler.Blocks)
            {
                if (Cell(AspNetServer.KestrelSync, handler) is { } kestrel)
                {
                    targets.Add(Ratio(handler, "req/s ÷ plain Kestrel", gevent.RequestsPerSecond, kestrel.RequestsPerSecond, 0.8, atLeast: true));
                }

                continue;
            }

            if (Cell(AspNetServer.KestrelAwait, handler) is { } awaits)
            {
                targets.Add(Ratio(handler, "req/s ÷ Kestrel await", gevent.RequestsPerSecond, awaits.RequestsPerSecond, 0.9, atLeast: true));
                targets.Add(Ratio(handler, "p99 ÷ Kestrel await p99", gevent.LatencyP99Ms, awaits.LatencyP99Ms, 1.5, atLeast: false));
            }

            if (Cell(AspNetServer.KestrelSync, handler) is { } sync)
            {
                targets.Add(Ratio(handler, "req/s ÷ plain Kestrel blocking", gevent.RequestsPerSecond, sync.RequestsPerSecond, 50, atLeast: true));
            }
        }

        return targets;
    }

    private static AspNetTarget Ratio(AspNetHandler handler, string target, double? numerator, double? denominator, double threshold, bool atLeast)
    {
        if (numerator is not { } n || denominator is not { } d || d <= 0)
        {
            // A baseline that served nothing: any throughput beats it by more than any factor.
            return new AspNetTarget(handler.Key, target, null, threshold, atLeast, atLeast && numerator > 0);
        }

        var value = n / d;
        return new AspNetTarget(handler.Key, target, value, threshold, atLeast, atLeast ? value >= threshold : value <= threshold);
    }
}
