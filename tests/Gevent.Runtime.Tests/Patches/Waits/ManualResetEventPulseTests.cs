using Gevent.Patches;

namespace Gevent.Tests.Patches.Waits;

/// <summary>
/// A <see cref="ManualResetEvent"/> pulsed (set, then reset at once) while a thread-backed greenlet waits on it in
/// <c>WaitOne</c>: the original releases a thread blocked in it with true, and so does the replacement, whose
/// registered wait saw the set even though the event is reset by the time the greenlet runs again.
/// </summary>
public class ManualResetEventPulseTests
{
    [Theory]
    [InlineData(Timeout.Infinite)]
    [InlineData(10_000)]
    public void APulseEndsAGreenletsWaitWithTrueAsItEndsTheOriginalsOnAThread(int millisecondsTimeout)
    {
        var original = Pulses.OnPlainThread(@event => @event.WaitOne(millisecondsTimeout));
        object? woven = null;
        var pulses = 0;
        var parked = false;
        HubTest.Run(() =>
        {
            using var @event = new ManualResetEvent(false);
            var waiter = Greenlet.Spawn(() => WaitHandlePatches.WaitOne(@event, millisecondsTimeout));
            Greenlet.Yield();
            // Parked: its registered wait is in place (it registers before it parks).
            parked = waiter.State == GreenletState.Parked;
            pulses = Pulses.Until(@event, waited => waiter.Join(waited));
            woven = !waiter.Dead ? "still waiting" : waiter.Successful ? waiter.Value : waiter.Exception!.GetType().Name;
        });

        Assert.True(original, "the original on a thread");
        Assert.True(parked, "the waiter was not parked before the pulses");
        Assert.True(true.Equals(woven), $"after {pulses} pulses the wait returned {woven}");
    }
}
