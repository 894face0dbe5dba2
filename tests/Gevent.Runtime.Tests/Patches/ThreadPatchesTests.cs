using System.Diagnostics;
using Gevent.Patches;

namespace Gevent.Tests.Patches;

public class ThreadPatchesTests
{
    [Fact]
    public void OutsideAGreenletTheOriginalRunsWithItsExceptions()
    {
        // xunit's thread has never used Gevent: it is not a greenlet.
        var stopwatch = Stopwatch.StartNew();
        ThreadPatches.Sleep(20);
        ThreadPatches.Sleep(TimeSpan.FromMilliseconds(20));
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(39));
        Assert.Null(Hub.CurrentGreenletOrNull);
        Parity.SameException(() => Thread.Sleep(-2), () => ThreadPatches.Sleep(-2));
        Parity.SameException(() => Thread.Sleep(TimeSpan.FromDays(-1)), () => ThreadPatches.Sleep(TimeSpan.FromDays(-1)));
        Parity.SameException(() => Thread.Sleep(TimeSpan.FromDays(30)), () => ThreadPatches.Sleep(TimeSpan.FromDays(30)));
    }

    [Fact]
    public void InAGreenletBadArgumentsThrowWhatTheBclThrows()
    {
        HubTest.Run(() =>
        {
            Parity.SameException(() => Thread.Sleep(-2), () => ThreadPatches.Sleep(-2));
            Parity.SameException(() => Thread.Sleep(TimeSpan.FromDays(-1)), () => ThreadPatches.Sleep(TimeSpan.FromDays(-1)));
            Parity.SameException(() => Thread.Sleep(TimeSpan.FromDays(30)), () => ThreadPatches.Sleep(TimeSpan.FromDays(30)));
        });
    }

    [Fact]
    public void ManyGreenletsSleepingTogetherFinishInAboutOnePeriodWhileTheHubStaysResponsive()
    {
        HubTest.Run(() =>
        {
            var ticks = 0;
            var ticker = Greenlet.Spawn(() =>
            {
                while (true)
                {
                    ThreadPatches.Sleep(TimeSpan.FromMilliseconds(10));
                    ticks++;
                }
            });
            var stopwatch = Stopwatch.StartNew();
            var sleepers = Enumerable.Range(0, 100).Select(i => Greenlet.Spawn(() =>
            {
                // A loaded machine can stall the ticker's hand-offs for tens of milliseconds each: the sleepers sleep
                // on, 50 ms at a time, until it has ticked 5 times. A sleep that held the hub would never let it
                // tick, and the sleepers would sleep past the bound below.
                var period = 300;
                do
                {
                    if (i % 2 == 0)
                    {
                        ThreadPatches.Sleep(period);
                    }
                    else
                    {
                        ThreadPatches.Sleep(TimeSpan.FromMilliseconds(period));
                    }

                    period = 50;
                }
                while (ticks < 5 && stopwatch.Elapsed < TimeSpan.FromSeconds(30));
            })).ToList();
            Greenlet.JoinAll(sleepers);
            Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(10));
            Assert.True(ticks >= 5, $"the ticker ran only {ticks} times");
            ticker.Kill();
        });
    }

    [Fact]
    public void KillAndTimeoutInterruptAPatchedSleepWithCleanup()
    {
        HubTest.Run(() =>
        {
            var cleaned = false;
            var sleeper = Greenlet.Spawn(() =>
            {
                try
                {
                    ThreadPatches.Sleep(Timeout.Infinite);
                }
                finally
                {
                    cleaned = true;
                }
            });
            Greenlet.Yield();
            sleeper.Kill();
            Assert.True(cleaned);
            Assert.True(sleeper.Successful);

            Assert.False(GreenTimeout.TryRun(TimeSpan.FromMilliseconds(10), () => ThreadPatches.Sleep(TimeSpan.FromSeconds(30))));
        });
    }

    [Fact]
    public void YieldLetsOthersRunAndReturnsTrue()
    {
        HubTest.Run(() =>
        {
            var ran = false;
            Greenlet.Spawn(() => ran = true);
            Assert.True(ThreadPatches.Yield());
            Assert.True(ran);
        });
    }

    [Fact]
    public void InsideALoopCallbackAPatchedSleepBlocksLikeTheOriginal()
    {
        HubTest.Run(() =>
        {
            var errors = HubTest.CaptureErrors();
            var slept = TimeSpan.Zero;
            Hub.Current.Loop.RunCallback(() =>
            {
                var stopwatch = Stopwatch.StartNew();
                ThreadPatches.Sleep(20);
                slept = stopwatch.Elapsed;
            });
            Greenlet.Yield();
            Assert.Empty(errors);
            Assert.True(slept >= TimeSpan.FromMilliseconds(19));
        });
    }
}
