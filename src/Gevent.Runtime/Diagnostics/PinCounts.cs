using System.Diagnostics.Metrics;
using Gevent.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Gevent;

/// <summary>
/// How often stackless greenlets parked: suspended (their frames saved, their carrier freed), or pinned —
/// blocked their carrier thread because their frames could not be saved — by reason: per hub for run info,
/// per process for the <c>gevent.greenlets.suspensions</c> and <c>gevent.greenlets.pins</c> metrics. The
/// share of pins says how much of real code runs stackless, and their reasons which are worth removing next.
/// </summary>
internal sealed class PinCounts
{
    private static readonly PinReason[] s_reasons = Enum.GetValues<PinReason>();
    private static readonly long[] s_total = new long[s_reasons.Length];
    private static readonly ILogger s_log = GeventLogging.CreateLogger("Gevent.Pins");

    private static long s_suspensions;

    private readonly long[] _counts = new long[s_reasons.Length];
    private long _suspensions;

    /// <summary>The process's stackless suspensions so far, what the <c>gevent.greenlets.suspensions</c> counter reports.</summary>
    public static long TotalSuspensions => Interlocked.Read(ref s_suspensions);

    /// <summary>This hub's stackless suspensions.</summary>
    public long Suspensions => Volatile.Read(ref _suspensions);

    /// <summary>The process's pins so far, one measurement per reason that occurred, tagged with it.</summary>
    public static IEnumerable<Measurement<long>> Measure()
    {
        foreach (var reason in s_reasons)
        {
            if (Interlocked.Read(ref s_total[(int)reason]) is var count and > 0)
            {
                yield return new Measurement<long>(count, new KeyValuePair<string, object?>("reason", reason.ToString()));
            }
        }
    }

    /// <summary>This hub's pins for <paramref name="reason"/>.</summary>
    public long this[PinReason reason] => Volatile.Read(ref _counts[(int)reason]);

    /// <summary>Counts a park whose frames were saved (called by the baton holder only, as <see cref="Record"/>).</summary>
    public void RecordSuspension()
    {
        Volatile.Write(ref _suspensions, _suspensions + 1);
        Interlocked.Increment(ref s_suspensions);
    }

    /// <summary>Counts a pin of <paramref name="greenlet"/> (the calling one) and logs it at debug level with where it happened.</summary>
    public void Record(Greenlet greenlet, PinReason reason)
    {
        _counts[(int)reason]++;
        Interlocked.Increment(ref s_total[(int)reason]);
        if (s_log.IsEnabled(LogLevel.Debug))
        {
            s_log.LogDebug(
                "Greenlet '{Greenlet}' pinned its carrier thread waiting on {WaitingOn}: {Reason}.{NewLine}{Stack}",
                greenlet.Name,
                greenlet.WaitingOn,
                reason,
                Environment.NewLine,
                new System.Diagnostics.StackTrace(2, fNeedFileInfo: true));
        }
    }

    /// <summary>"pins: Reason n, …" for run info, or null when this hub never pinned.</summary>
    public string? Describe()
    {
        var counted = s_reasons.Where(reason => this[reason] > 0).Select(reason => $"{reason} {this[reason]}").ToList();
        return counted.Count == 0 ? null : $"pins: {string.Join(", ", counted)}";
    }
}
