namespace Gevent.Patches;

/// <summary>The BCL's timeout arguments, checked the way the BCL checks them, as an optional limit.</summary>
internal static class Timeouts
{
    /// <summary>-1 (infinite) → null; below -1 → <see cref="ArgumentOutOfRangeException"/>.</summary>
    public static TimeSpan? FromMilliseconds(int millisecondsTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(millisecondsTimeout, Timeout.Infinite);
        return millisecondsTimeout == Timeout.Infinite ? null : TimeSpan.FromMilliseconds(millisecondsTimeout);
    }

    /// <summary>Whole milliseconds from -1 (infinite → null) to <see cref="int.MaxValue"/>, else <see cref="ArgumentOutOfRangeException"/>.</summary>
    public static TimeSpan? FromTimeSpan(TimeSpan timeout)
    {
        var milliseconds = (long)timeout.TotalMilliseconds;
        if (milliseconds is < -1 or > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be -1 (infinite) or between 0 and Int32.MaxValue milliseconds.");
        }

        return milliseconds == -1 ? null : timeout;
    }
}
