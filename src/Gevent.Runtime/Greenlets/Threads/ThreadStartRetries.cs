using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Gevent.Greenlets.Threads;

/// <summary>
/// A greenlet whose first run finds no idle worker thread and cannot create one waits for one instead of failing:
/// its start is tried again after a backoff (10 ms, doubling up to 1 s) for up to <see cref="GiveUpAfter"/>, and a
/// worker that a finished greenlet hands back meanwhile serves it. .NET needs a free descriptor to start a thread, so a
/// server that has just accepted its last descriptor's worth of connections would otherwise fail the greenlets of those
/// connections — and close them on their clients — though the descriptors come back as soon as other clients leave.
/// </summary>
internal static class ThreadStartRetries
{
    /// <summary>How long a greenlet's start is retried before it fails.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan s_firstDelay = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan s_longestDelay = TimeSpan.FromSeconds(1);
    private static readonly HubTaggingLogger s_log = GeventLogging.CreateLogger("Gevent.Hub");

    // Keyed weakly: a greenlet starts once, so an entry is never looked at again after its start, and goes with it.
    private static readonly ConditionalWeakTable<Greenlet, Retry> s_retries = [];
    private static long s_lastWarning;

    /// <summary>
    /// Schedules another try at starting <paramref name="greenlet"/>, which just failed to get a thread with
    /// <paramref name="failure"/>. False once its retries have lasted <see cref="GiveUpAfter"/>: it should fail.
    /// </summary>
    public static bool TryDefer(Greenlet greenlet, Exception failure)
    {
        var retry = s_retries.GetValue(greenlet, static _ => new Retry(Stopwatch.GetTimestamp()));
        if (Stopwatch.GetElapsedTime(retry.Since) >= GiveUpAfter)
        {
            return false;
        }

        retry.Delay = retry.Delay == TimeSpan.Zero ? s_firstDelay : TimeSpan.FromTicks(Math.Min(retry.Delay.Ticks * 2, s_longestDelay.Ticks));
        WarnAtMostEverySecond(greenlet, failure);
        greenlet.ScheduleStartAfter(retry.Delay);
        return true;
    }

    // Hundreds of connections may hit the same shortage at once: one line a second says it.
    private static void WarnAtMostEverySecond(Greenlet greenlet, Exception failure)
    {
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref s_lastWarning);
        if ((last == 0 || Stopwatch.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1)) && Interlocked.CompareExchange(ref s_lastWarning, now, last) == last)
        {
            try
            {
                s_log.LogWarning("Could not create a thread for greenlet '{Greenlet}' ({Reason}); its start is retried for up to {Seconds} s.",
                    greenlet.Name, failure.Message, GiveUpAfter.TotalSeconds);
            }
            catch (Exception e) when (e is IOException or OutOfMemoryException)
            {
                // A logger short of the same descriptors (a file, an assembly to load) must not stop the hub's scheduling.
            }
        }
    }

    private sealed class Retry(long since)
    {
        public long Since { get; } = since;

        public TimeSpan Delay { get; set; }
    }
}
