using System.Diagnostics;

namespace Gevent.Patches;

/// <summary>
/// Acquires a thread-owned lock (a monitor, a <see cref="Lock"/>) from a greenlet without blocking its
/// hub: try; if taken, park until the holder's patched release signals or a poll timer fires (the holder
/// may run unpatched code, or on a thread of no hub), and try again.
/// </summary>
internal static class CooperativeAcquire
{
    /// <summary>Waiters for a held lock, signalled by patched releases.</summary>
    public static WaiterTable Releases { get; } = new();

    /// <summary>The first wait between two tries; it doubles while nobody signals, up to <see cref="LastPoll"/>.</summary>
    internal static TimeSpan FirstPoll { get; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest wait between two tries.</summary>
    internal static TimeSpan LastPoll { get; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Calls <paramref name="tryAcquire"/> until it succeeds or <paramref name="timeout"/> (null: none)
    /// passes; parks between attempts. Returns whether the lock was acquired. <paramref name="waitingFor"/>
    /// names what the greenlet waits for in run-info reports (default: a lock).
    /// </summary>
    public static bool Acquire<TKey>(Greenlet current, TKey key, Func<TKey, bool> tryAcquire, TimeSpan? timeout, string? waitingFor = null)
        where TKey : class
    {
        if (tryAcquire(key))
        {
            return true;
        }

        var hub = current.Hub;
        var stopwatch = timeout is null ? null : Stopwatch.StartNew();
        var poll = FirstPoll;
        while (true)
        {
            var wait = poll;
            if (stopwatch is not null)
            {
                var remaining = timeout!.Value - stopwatch.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    return false;
                }

                wait = remaining < poll ? remaining : poll;
            }

            var token = new WakeToken(current);
            var waiter = new WaiterTable.GreenletWaiter(token);
            Releases.Add(key, waiter);
            var timer = hub.Loop.StartTimer(wait, WakeToken.WakeCallback, token);
            try
            {
                hub.Block(waitingFor ?? $"a lock held by another greenlet or thread ({key.GetType().Name})");
            }
            finally
            {
                timer.Cancel();
                Releases.Remove(key, waiter);
            }

            if (tryAcquire(key))
            {
                return true;
            }

            // Backing off only while nobody signals: a signalled wake means the holder runs patched code.
            poll = waiter.Signalled ? FirstPoll : Durations.Doubled(poll, LastPoll);
        }
    }
}
