using System.Diagnostics;

namespace Gevent.Tests.Patches.Waits;

/// <summary>
/// Pulses a <see cref="ManualResetEvent"/> (<see cref="EventWaitHandle.Set"/>, then <see cref="EventWaitHandle.Reset"/>
/// at once) at a waiter. A pulse releases only a wait already in place: a thread blocked in the wait, or a registered
/// wait the pool's wait thread has taken up, which no API shows. So it pulses again after each pause until the waiter
/// ends; a pulse that reached nothing leaves the event as it found it.
/// </summary>
internal static class Pulses
{
    private static readonly TimeSpan s_pause = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Pulses <paramref name="event"/> until <paramref name="ended"/> (given how long it may wait) says the waiter
    /// ended, for at most 20 s, so a waiter that a pulse does not release fails its test rather than hangs it. Returns
    /// how many pulses it sent, for a failure's message.
    /// </summary>
    public static int Until(ManualResetEvent @event, Func<TimeSpan, bool> ended) =>
        Until(
            () =>
            {
                @event.Set();
                @event.Reset();
            },
            ended);

    /// <summary><see cref="Until(ManualResetEvent, Func{TimeSpan, bool})"/> for any event: <paramref name="pulse"/> sets and resets it.</summary>
    public static int Until(Action pulse, Func<TimeSpan, bool> ended)
    {
        var stopwatch = Stopwatch.StartNew();
        var pulses = 0;
        do
        {
            pulse();
            pulses++;
        }
        while (!ended(s_pause) && stopwatch.Elapsed < s_bound);

        return pulses;
    }

    /// <summary>
    /// The control: what <paramref name="wait"/> (the original) returns on a plain thread as the event it waits on is
    /// pulsed; null if it was still waiting after the bound.
    /// </summary>
    public static bool? OnPlainThread(Func<ManualResetEvent, bool> wait)
    {
        using var @event = new ManualResetEvent(false);
        bool? result = null;
        var waiter = new Thread(() => result = wait(@event)) { IsBackground = true };
        waiter.Start();
        Until(@event, waiter.Join);
        return result;
    }
}
