using Gevent.CompilerServices;

namespace Gevent.Tests.Greenlets.Stackless;

/// <summary>
/// A stackless greenlet whose frames cannot be saved at a blocking point pins: it blocks its carrier thread
/// while the hub goes on on another one, is counted by reason, and can still be killed there.
/// </summary>
public class PinningTests
{
    private static readonly object s_gate = new();

    public static TheoryData<PinReason> Reasons =>
        [PinReason.MonitorHeld, PinReason.InsideHandler, PinReason.UnwovenFrame, PinReason.RuntimeWait];

    [Theory]
    [MemberData(nameof(Reasons))]
    public void AGreenletPinsForItsReasonWhileTheOthersRunAndCanBeKilledThere(PinReason reason)
    {
        HubTest.Run(() =>
        {
            var hub = Hub.Current;
            var forever = Timeout.InfiniteTimeSpan;
            var pinned = ResumableGreenlet.Spawn(reason switch
            {
                PinReason.MonitorHeld => [Resumable] () => WovenPinning.SleepHoldingLock(s_gate, forever),
                PinReason.InsideHandler => [Resumable] () => WovenPinning.SleepInFinally(forever),
                PinReason.UnwovenFrame => [Resumable] () => WovenPinning.SleepThroughUnwovenCode(forever),
                _ => [Resumable] () => WovenPinning.WaitWithoutResumableForm(forever),
            });
            pinned.Name = "pinned";
            Greenlet.Yield();

            // Both a stackless and a thread-backed greenlet run to the end while the pinned one holds its carrier.
            var ticks = new List<int>();
            var ticker = ResumableGreenlet.Spawn([Resumable] () => Woven.SleepTimes(3, TimeSpan.FromMilliseconds(1), ticks));
            var threadBacked = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(1)));
            Greenlet.JoinAll([ticker, threadBacked]);
            var info = hub.FormatRunInfo();

            pinned.Kill();

            Assert.Equal([0, 1, 2], ticks);
            Assert.NotNull(ticker.Frames);
            Assert.Equal(1, hub.Pins[reason]);
            Assert.Contains($"pins: {reason} 1", info);
            Assert.Contains($"pinned: waiting on", info);
            Assert.Contains($"stackless, pinned ({reason})", info);
            Assert.True(pinned.Dead && pinned.Successful);
            Assert.Contains(PinCounts.Measure(), m => m.Tags.ToArray().Contains(new("reason", reason.ToString())));
            if (reason == PinReason.MonitorHeld)
            {
                Assert.True(Monitor.TryEnter(s_gate));
                Monitor.Exit(s_gate);
            }
        });
    }

    [Fact]
    public void EachStacklessParkIsCountedAsASuspensionAndAThreadBackedOneIsNot()
    {
        HubTest.Run(() =>
        {
            var hub = Hub.Current;
            var before = PinCounts.TotalSuspensions;
            Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(1))).Join();
            Assert.Equal(0, hub.Pins.Suspensions);

            // The waiter parks once on the unset event; the main greenlet's own waits are thread-backed.
            var e = new GreenEvent();
            var woken = new List<bool>();
            var waiter = ResumableGreenlet.Spawn([Resumable] () => Woven.WaitFor(e, woken));
            Greenlet.Yield();
            e.Set();
            waiter.Join();

            Assert.Equal([true], woken);
            Assert.Equal(1, hub.Pins.Suspensions);
            Assert.Contains($"stackless suspensions: {hub.Pins.Suspensions}", hub.FormatRunInfo());
            Assert.True(PinCounts.TotalSuspensions - before >= hub.Pins.Suspensions, "the process-wide count missed this hub's suspensions");
        });
    }

    [Fact]
    public void AGreenletThatPinnedSuspendsStacklessAgainOnceItsFramesCanBeSaved()
    {
        HubTest.Run(() =>
        {
            var log = new List<int>();
            var greenlet = ResumableGreenlet.Spawn([Resumable] () => PinThenSleep(log));
            var ticker = ResumableGreenlet.Spawn([Resumable] () => Woven.SleepTimes(3, TimeSpan.FromMilliseconds(1), null));

            Greenlet.JoinAll([greenlet, ticker]);

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal([0, 1], log);
            Assert.Equal(1, Hub.Current.Pins[PinReason.MonitorHeld]);
        });
    }

    [Fact]
    public void ALinkACalleeReturnedWithoutTakingDoesNotLetCodeEnteredFromUnwovenCodeSuspend()
    {
        HubTest.Run(() =>
        {
            var set = new GreenEvent();
            set.Set();
            var greenlet = ResumableGreenlet.Spawn([Resumable] () => WaitOnSetEventThenSleepThroughForEach(set));

            // Always ready, so the sleep must switch away (a lone greenlet would poll the loop itself).
            var yielder = ResumableGreenlet.Spawn([Resumable] () => Woven.YieldTimes("y", 5, []));

            Assert.True(greenlet.Join() && yielder.Join());

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(1, Hub.Current.Pins[PinReason.UnwovenFrame]);
        });
    }

    /// <summary>
    /// set.Wait(); new List&lt;int&gt; { 1 }.ForEach(_ =&gt; Woven.SleepTimes(1, 1 ms, null)); — the wait returns at
    /// once (the event is set) and ForEach is not woven, so the sleep inside must pin. Neither call can suspend
    /// here, so no frame is ever saved.
    /// </summary>
    [Resumable]
    private static void WaitOnSetEventThenSleepThroughForEach(GreenEvent set)
    {
        var stack = FrameStack.Current;
        if (stack is not null && stack.Enter())
        {
            stack.Link();
        }

        set.Wait();
        new List<int> { 1 }.ForEach(_ => Woven.SleepTimes(1, TimeSpan.FromMilliseconds(1), null));
    }

    /// <summary>WovenPinning.SleepHoldingLock(Gate, 1 ms); Woven.SleepTimes(2, 1 ms, log); — the first pins, the second suspends.</summary>
    [Resumable]
    private static void PinThenSleep(List<int> log)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        if (linked && stack!.IsResuming)
        {
            log = ((LogFrame)stack.Pop()).Log;
            goto Call2;
        }

        if (linked)
        {
            stack!.Link();
        }

        // Cannot suspend (it pins), so no frame is ever saved for this site.
        WovenPinning.SleepHoldingLock(s_gate, TimeSpan.FromMilliseconds(1));
    Call2:
        if (linked)
        {
            stack!.Link();
        }

        Woven.SleepTimes(2, TimeSpan.FromMilliseconds(1), log);
        if (stack is { IsSuspending: true })
        {
            stack.Push(new LogFrame { State = 2, Log = log });
        }
    }

    private sealed class LogFrame : ResumableFrame
    {
        public required List<int> Log { get; init; }
    }
}
