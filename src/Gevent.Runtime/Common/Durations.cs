using System.Diagnostics;

namespace Gevent;

/// <summary>Checks and converts the <see cref="TimeSpan"/> durations the public API takes.</summary>
internal static class Durations
{
    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> for a negative duration; <see cref="Timeout.InfiniteTimeSpan"/>
    /// is accepted where <paramref name="allowInfinite"/> says so.
    /// </summary>
    public static void Validate(TimeSpan duration, string name, bool allowInfinite)
    {
        if (duration < TimeSpan.Zero && !(allowInfinite && duration == Timeout.InfiniteTimeSpan))
        {
            throw new ArgumentOutOfRangeException(name, duration,
                allowInfinite
                    ? "A duration must be zero or positive, or Timeout.InfiniteTimeSpan to wait without limit."
                    : "A duration must be zero or positive.");
        }
    }

    /// <summary>Validates an optional timeout and says whether it bounds the wait (null and infinite do not).</summary>
    public static bool IsBounded(TimeSpan? timeout, string name)
    {
        if (timeout is not { } value)
        {
            return false;
        }

        Validate(value, name, allowInfinite: true);
        return value != Timeout.InfiniteTimeSpan;
    }

    /// <summary>The next wait of a backoff: twice <paramref name="current"/>, never longer than <paramref name="longest"/>.</summary>
    public static TimeSpan Doubled(TimeSpan current, TimeSpan longest) =>
        current < longest / 2 ? current * 2 : longest;

    public static long ToStopwatchTicks(TimeSpan duration)
    {
        var ticks = duration.Ticks * (double)Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        return ticks >= long.MaxValue / 2 ? long.MaxValue / 2 : (long)ticks;
    }
}
