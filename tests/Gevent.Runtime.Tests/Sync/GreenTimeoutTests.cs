using System.Diagnostics;

namespace Gevent.Tests.Sync;

public class GreenTimeoutTests
{
    [Fact]
    public void ATimeoutInterruptsABlockedGreenletWithItsOwnException()
    {
        HubTest.Run(() =>
        {
            var stopwatch = Stopwatch.StartNew();
            var timeout = GreenTimeout.Start(TimeSpan.FromMilliseconds(30));
            var thrown = Assert.Throws<GreenTimeoutException>(() => Greenlet.Sleep(TimeSpan.FromSeconds(30)));
            Assert.Same(timeout, thrown.Timeout);
            Assert.IsAssignableFrom<TimeoutException>(thrown);
            Assert.False(timeout.Pending);
            Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(29), TimeSpan.FromSeconds(10));
        });
    }

    [Fact]
    public void NestedTimeoutsAreCaughtByIdentityAndTheOuterStaysPending()
    {
        HubTest.Run(() =>
        {
            using var outer = GreenTimeout.Start(TimeSpan.FromSeconds(30));
            var innerFired = false;
            using (var inner = GreenTimeout.Start(TimeSpan.FromMilliseconds(10)))
            {
                try
                {
                    Greenlet.Sleep(TimeSpan.FromSeconds(20));
                }
                catch (GreenTimeoutException e) when (e.Timeout == inner)
                {
                    innerFired = true;
                }
            }

            Assert.True(innerFired);
            Assert.True(outer.Pending);
        });
    }

    [Fact]
    public void WhenTheOuterTimeoutFiresFirstTheInnerHandlerDoesNotCatchIt()
    {
        HubTest.Run(() =>
        {
            var outer = GreenTimeout.Start(TimeSpan.FromMilliseconds(10));
            var caughtByInner = false;
            var thrown = Assert.Throws<GreenTimeoutException>(() =>
            {
                using var inner = GreenTimeout.Start(TimeSpan.FromSeconds(30));
                try
                {
                    Greenlet.Sleep(TimeSpan.FromSeconds(20));
                }
                catch (GreenTimeoutException e) when (e.Timeout == inner)
                {
                    caughtByInner = true;
                }
            });
            Assert.Same(outer, thrown.Timeout);
            Assert.False(caughtByInner);
        });
    }

    [Fact]
    public void ATimeoutCancelledWhenItsBodyFinishesNeverFires()
    {
        HubTest.Run(() =>
        {
            var timeout = GreenTimeout.Start(TimeSpan.FromMilliseconds(20));
            using (timeout)
            {
                Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            }

            Assert.False(timeout.Pending);
            Greenlet.Sleep(TimeSpan.FromMilliseconds(60));
        });
    }

    [Fact]
    public void ATimeoutThatFiredWhileTheGreenletWasAlreadyWokenIsWithdrawnByDispose()
    {
        HubTest.Run(() =>
        {
            var timeout = GreenTimeout.Start(TimeSpan.Zero);

            // The zero timeout fires during this poll while the yielding greenlet is already queued:
            // its exception stays pending rather than interrupting the yield.
            Greenlet.Yield();
            timeout.Dispose();
            Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
        });
    }

    [Fact]
    public void ACustomExceptionIsThrownInstead()
    {
        HubTest.Run(() =>
        {
            var custom = new IOException("too slow");
            using var timeout = GreenTimeout.Start(TimeSpan.FromMilliseconds(5), custom);
            var thrown = Assert.Throws<IOException>(() => Greenlet.Sleep(TimeSpan.FromSeconds(30)));
            Assert.Same(custom, thrown);
        });
    }

    [Fact]
    public void RunReturnsTheTimeoutValueOnlyForItsOwnTimeout()
    {
        HubTest.Run(() =>
        {
            Assert.Equal(-1, GreenTimeout.Run(TimeSpan.FromMilliseconds(5), () =>
            {
                Greenlet.Sleep(TimeSpan.FromSeconds(30));
                return 1;
            }, -1));
            Assert.Equal(7, GreenTimeout.Run(TimeSpan.FromSeconds(30), () => 7, -1));

            var outer = GreenTimeout.Start(TimeSpan.FromMilliseconds(5));
            var thrown = Assert.Throws<GreenTimeoutException>(() => GreenTimeout.Run(TimeSpan.FromSeconds(30), () =>
            {
                Greenlet.Sleep(TimeSpan.FromSeconds(20));
                return 1;
            }, -1));
            Assert.Same(outer, thrown.Timeout);
        });
    }

    [Fact]
    public void TryRunIsTheSilentVariant()
    {
        HubTest.Run(() =>
        {
            var after = false;
            Assert.False(GreenTimeout.TryRun(TimeSpan.FromMilliseconds(5), () =>
            {
                Greenlet.Sleep(TimeSpan.FromSeconds(30));
                after = true;
            }));
            Assert.False(after);
            Assert.True(GreenTimeout.TryRun(TimeSpan.FromSeconds(30), () => after = true));
            Assert.True(after);
        });
    }

    [Fact]
    public void ATimeoutInterruptsAJoin()
    {
        HubTest.Run(() =>
        {
            var sleeper = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromSeconds(30)));
            var thrown = Assert.Throws<GreenTimeoutException>(() => GreenTimeout.Run(TimeSpan.FromMilliseconds(10), () => sleeper.Join()));
            Assert.False(sleeper.Dead);
            Assert.Equal(TimeSpan.FromMilliseconds(10), thrown.Timeout.After);
            sleeper.Kill();
        });
    }

    [Fact]
    public void AnInfiniteTimeoutIsNeverPendingAndNeverFires()
    {
        HubTest.Run(() =>
        {
            using var timeout = GreenTimeout.Start(Timeout.InfiniteTimeSpan);
            Assert.False(timeout.Pending);
            Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
        });
    }

    [Fact]
    public void NegativeDurationsAreRejected()
    {
        HubTest.Run(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => GreenTimeout.Start(TimeSpan.FromMilliseconds(-5)));
            Assert.Throws<ArgumentOutOfRangeException>(() => GreenTimeout.Run(TimeSpan.FromSeconds(-1), () => 1, 0));
        });
    }
}
