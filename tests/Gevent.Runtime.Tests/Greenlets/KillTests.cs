using System.Diagnostics;

namespace Gevent.Tests.Greenlets;

public class KillTests
{
    [Fact]
    public void KilledBeforeStartNeverRunsButItsLinksFire()
    {
        HubTest.Run(() =>
        {
            var ran = false;
            var linked = new List<Greenlet>();
            var greenlet = new Greenlet(() => ran = true);
            greenlet.Link(linked.Add);
            greenlet.Kill();
            Assert.True(greenlet.Dead);
            Assert.True(greenlet.Successful);
            Greenlet.Sleep(TimeSpan.FromMilliseconds(10));
            Assert.False(ran);
            Assert.Equal([greenlet], linked);
        });
    }

    [Fact]
    public void KilledAfterStartButBeforeItRanNeverRuns()
    {
        HubTest.Run(() =>
        {
            var ran = false;
            var greenlet = Greenlet.Spawn(() => ran = true);
            greenlet.Kill();
            Greenlet.Sleep(TimeSpan.FromMilliseconds(10));
            Assert.False(ran);
            Assert.True(greenlet.Dead);
            Assert.True(greenlet.Successful);
        });
    }

    [Fact]
    public void KilledAfterStartLaterNeverRuns()
    {
        HubTest.Run(() =>
        {
            var ran = false;
            var greenlet = Greenlet.SpawnLater(TimeSpan.FromMilliseconds(20), () => ran = true);
            greenlet.Kill();
            Assert.True(greenlet.Dead);
            Greenlet.Sleep(TimeSpan.FromMilliseconds(60));
            Assert.False(ran);
        });
    }

    [Fact]
    public void KillInterruptsSleepAndRunsFinallyBlocks()
    {
        HubTest.Run(() =>
        {
            var cleanedUp = false;
            var reachedEnd = false;
            var greenlet = Greenlet.Spawn(() =>
            {
                try
                {
                    Greenlet.Sleep(TimeSpan.FromSeconds(30));
                    reachedEnd = true;
                }
                finally
                {
                    cleanedUp = true;
                }
            });
            Greenlet.Yield();
            var stopwatch = Stopwatch.StartNew();
            greenlet.Kill();
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
            Assert.True(greenlet.Dead);
            Assert.True(greenlet.Successful);
            Assert.True(cleanedUp);
            Assert.False(reachedEnd);
        });
    }

    [Fact]
    public void KillInterruptsAGreenletBlockedInAWait()
    {
        HubTest.Run(() =>
        {
            var blocker = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromSeconds(30)));
            Exception? seen = null;
            var joiner = Greenlet.Spawn(() =>
            {
                try
                {
                    blocker.Join();
                }
                catch (GreenletExit e)
                {
                    seen = e;
                    throw;
                }
            });
            Greenlet.Yield();
            joiner.Kill();
            Assert.IsType<GreenletExit>(seen);
            Assert.True(joiner.Dead);
            Assert.False(blocker.Dead);
            blocker.Kill();
        });
    }

    [Fact]
    public void KillWithACustomExceptionFailsTheGreenlet()
    {
        HubTest.Run(() =>
        {
            var errors = HubTest.CaptureErrors();
            var greenlet = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromSeconds(30)));
            Greenlet.Yield();
            var reason = new OperationCanceledException("shutting down");
            greenlet.Kill(reason);
            Assert.False(greenlet.Successful);
            Assert.Same(reason, greenlet.Exception);
            Assert.Same(reason, Assert.Single(errors).Exception);
        });
    }

    [Fact]
    public void KillingTwiceOrKillingADeadGreenletIsHarmless()
    {
        HubTest.Run(() =>
        {
            var greenlet = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromSeconds(30)));
            Greenlet.Yield();
            greenlet.Kill(block: false);
            greenlet.Kill(block: false);
            Assert.True(greenlet.Join(TimeSpan.FromSeconds(10)));
            greenlet.Kill();
            Assert.True(greenlet.Successful);
        });
    }

    [Fact]
    public void NonBlockingKillReturnsBeforeTheGreenletDies()
    {
        HubTest.Run(() =>
        {
            var greenlet = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromSeconds(30)));
            Greenlet.Yield();
            greenlet.Kill(block: false);
            Assert.False(greenlet.Dead);
            Assert.True(greenlet.Join(TimeSpan.FromSeconds(10)));
        });
    }

    [Fact]
    public void KillWithATimeoutReturnsWhenTheVictimKeepsBlocking()
    {
        HubTest.Run(() =>
        {
            // Only a main greenlet can outlive its kill (a spawned one is interrupted again at each
            // blocking point): it catches the kill and blocks on while the killer's timeout runs out.
            var main = Greenlet.Current;
            var killReturnedWithMainAlive = (bool?)null;
            var stopwatch = Stopwatch.StartNew();
            var killer = Greenlet.Spawn(() =>
            {
                main.Kill(timeout: TimeSpan.FromMilliseconds(30));
                killReturnedWithMainAlive = !main.Dead;
            });
            Assert.Throws<GreenletExit>(() => Greenlet.Sleep(TimeSpan.FromSeconds(30)));
            killer.Join();
            Assert.True(killReturnedWithMainAlive);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
        });
    }

    [Fact]
    public void AVictimThatCatchesTheKillAndBlocksAgainIsInterruptedAgainAndDies()
    {
        HubTest.Run(() =>
        {
            var stubborn = Greenlet.Spawn(() =>
            {
                try
                {
                    Greenlet.Sleep(TimeSpan.FromSeconds(30));
                }
                catch (GreenletExit)
                {
                    Greenlet.Sleep(TimeSpan.FromSeconds(30));
                }
            });
            Greenlet.Yield();
            var stopwatch = Stopwatch.StartNew();
            stubborn.Kill(timeout: TimeSpan.FromSeconds(20));
            Assert.True(stubborn.Dead);
            Assert.True(stubborn.Successful);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
        });
    }

    [Fact]
    public void AKillThatArrivesWhileTheVictimIsAlreadyWokenIsDeliveredAtItsNextBlockingPoint()
    {
        HubTest.Run(() =>
        {
            var steps = new List<string>();
            var victim = Greenlet.Spawn(() =>
            {
                Greenlet.Yield();
                steps.Add("resumed normally");
                Greenlet.Sleep(TimeSpan.FromSeconds(30));
                steps.Add("never");
            });
            Greenlet.Yield();

            // The victim's Yield has queued it again: it is woken but has not run.
            victim.Kill();
            Assert.Equal(["resumed normally"], steps);
            Assert.True(victim.Successful);
        });
    }

    [Fact]
    public void KillAllBlockingWaitsForEveryoneAndNonBlockingDoesNot()
    {
        HubTest.Run(() =>
        {
            var stopwatch = Stopwatch.StartNew();
            var sleepers = Enumerable.Range(0, 20).Select(_ => Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromSeconds(30)))).ToList();
            Greenlet.Yield();
            Greenlet.KillAll(sleepers);
            Assert.All(sleepers, g => Assert.True(g.Dead && g.Successful));
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));

            var more = Enumerable.Range(0, 5).Select(_ => Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromSeconds(30)))).ToList();
            Greenlet.Yield();
            Greenlet.KillAll(more, block: false);
            Assert.All(more, g => Assert.False(g.Dead));
            Assert.Equal(5, Greenlet.JoinAll(more, TimeSpan.FromSeconds(10)).Count);
        });
    }

    [Fact]
    public void KillingTheCurrentGreenletThrowsAtOnce()
    {
        HubTest.Run(() =>
        {
            var afterKill = false;
            var greenlet = Greenlet.Spawn(() =>
            {
                Greenlet.Current.Kill();
                afterKill = true;
            });
            greenlet.Join();
            Assert.False(afterKill);
            Assert.True(greenlet.Successful);
        });
    }

    [Fact]
    public void AKillFromALoopCallbackRunningOnTheVictimsThreadReachesItsBlockingPoint()
    {
        HubTest.Run(() =>
        {
            // A greenlet ending with an exception is reported with itself; a failed loop callback with no greenlet.
            var callbackFailures = new List<Exception>();
            var hub = Hub.Current;
            hub.ErrorHandler = (greenlet, e) =>
            {
                if (greenlet is null)
                {
                    callbackFailures.Add(e);
                }
            };
            var victim = Greenlet.Spawn(() =>
            {
                var running = Stopwatch.StartNew();
                while (running.Elapsed < TimeSpan.FromSeconds(30))
                {
                    Greenlet.Yield();
                }
            });
            Greenlet.Yield();

            // The main greenlet is parked in Join: the victim, yielding alone, runs the loop and with it this callback.
            var poster = new Thread(() =>
            {
                Thread.Sleep(100);
                hub.Loop.RunCallbackThreadSafe(() => victim.Kill(new InvalidOperationException("killed from a callback"), block: false));
            });
            poster.Start();
            var stopwatch = Stopwatch.StartNew();

            Assert.True(victim.Join(TimeSpan.FromSeconds(20)), "the kill never reached the victim");
            poster.Join();
            Assert.Empty(callbackFailures);
            Assert.IsType<InvalidOperationException>(victim.Exception);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"the victim ran its 30 s: {stopwatch.Elapsed}");
        });
    }
}
