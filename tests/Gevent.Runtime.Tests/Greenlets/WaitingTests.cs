using System.Diagnostics;

namespace Gevent.Tests.Greenlets;

public class WaitingTests
{
    [Fact]
    public void JoinWithATimeoutReturnsFalseThenTrue()
    {
        HubTest.Run(() =>
        {
            var greenlet = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(100)));
            Assert.False(greenlet.Join(TimeSpan.FromMilliseconds(10)));
            Assert.True(greenlet.Join());
        });
    }

    [Fact]
    public void JoinAllWithATimeoutReturnsOnlyThoseThatFinished()
    {
        HubTest.Run(() =>
        {
            var quick = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(5)));
            var slow = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromSeconds(60)));
            var joining = Stopwatch.StartNew();
            IReadOnlyList<Greenlet> done;
            do
            {
                // A loaded machine can leave even the quick one unfinished after 100 ms: then none is returned, and
                // the join is tried again. Nothing else runs between JoinAll's return and the check (one hub), and
                // one that died in the loop turn the timeout came in, before its links ran, is returned too.
                var stopwatch = Stopwatch.StartNew();
                done = Greenlet.JoinAll([slow, quick], TimeSpan.FromMilliseconds(100));
                Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(95), TimeSpan.FromSeconds(10));
                Assert.Equal(quick.Dead ? [quick] : [], done);
            }
            while (done.Count == 0 && joining.Elapsed < TimeSpan.FromSeconds(30));

            Assert.Equal([quick], done);
            Assert.False(slow.Dead);
            slow.Kill();
        });
    }

    [Fact]
    public void JoinAllCanThrowTheFirstError()
    {
        HubTest.Run(() =>
        {
            HubTest.CaptureErrors();
            var slow = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromSeconds(30)));
            var failing = Greenlet.Spawn(() => throw new ArithmeticException("first"));
            var thrown = Assert.Throws<ArithmeticException>(() => Greenlet.JoinAll([slow, failing], throwOnError: true));
            Assert.Equal("first", thrown.Message);
            Assert.False(slow.Dead);
            slow.Kill();
        });
    }

    [Fact]
    public void IWaitYieldsInCompletionOrder()
    {
        HubTest.Run(() =>
        {
            // Gaps wide enough that a loaded machine delaying a greenlet's start cannot reorder them.
            var slow = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(400)));
            var fast = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(20)));
            var middle = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(200)));
            Assert.Equal([fast, middle, slow], Greenlet.IWait([slow, fast, middle]).ToList());
        });
    }

    [Fact]
    public void WaitWithACountReturnsTheFirstToFinish()
    {
        HubTest.Run(() =>
        {
            var slow = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromSeconds(30)));
            var fast = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(5)));
            Assert.Equal([fast], Greenlet.Wait([slow, fast], count: 1));
            slow.Kill();
        });
    }

    [Fact]
    public void AnAbandonedIWaitDoesNotWakeItsGreenletLater()
    {
        HubTest.Run(() =>
        {
            var first = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(5)));
            var second = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(20)));
            using (var iteration = Greenlet.IWait([first, second]).GetEnumerator())
            {
                Assert.True(iteration.MoveNext());
                Assert.Same(first, iteration.Current);
            }

            // The second greenlet ends during this sleep; the abandoned iteration must not cut it short.
            var stopwatch = Stopwatch.StartNew();
            Greenlet.Sleep(TimeSpan.FromMilliseconds(80));
            Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(79));
            Assert.True(second.Dead);
        });
    }

    [Fact]
    public void WaitReturnsWhenNothingIsLeft()
    {
        HubTest.Run(() =>
        {
            var finished = 0;
            for (var i = 0; i < 10; i++)
            {
                var delay = i;
                Greenlet.Spawn(() =>
                {
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(delay));
                    finished++;
                });
            }

            Assert.True(Greenlet.Wait());
            Assert.Equal(10, finished);
        });
    }

    [Fact]
    public void WaitWithATimeoutReturnsFalseWhileWorkRemains()
    {
        HubTest.Run(() =>
        {
            var sleeper = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromSeconds(30)));
            Assert.False(Greenlet.Wait(TimeSpan.FromMilliseconds(20)));
            sleeper.Kill();
            Assert.True(Greenlet.Wait(TimeSpan.FromSeconds(10)));
        });
    }

    [Fact]
    public void AWaitNothingCanEndThrowsLoopExitNamingIt()
    {
        HubTest.Run(() =>
        {
            var stuck = Greenlet.Spawn(() => Greenlet.Sleep(Timeout.InfiniteTimeSpan));
            stuck.Name = "stuck";
            var thrown = Assert.Throws<LoopExitException>(() => stuck.Join());
            Assert.Equal("Join(stuck)", thrown.WaitingOn);
            Assert.Contains("Join(stuck)", thrown.Message);
        });
    }

    [Fact]
    public void LoopExitGoesToTheMainGreenletWhenAnotherGreenletDeadlocks()
    {
        HubTest.Run(() =>
        {
            var child = Greenlet.Spawn(() => Greenlet.Sleep(Timeout.InfiniteTimeSpan));
            child.Name = "child";
            var waiter = Greenlet.Spawn(() => child.Join());
            Assert.Throws<LoopExitException>(() => waiter.Join());
            Assert.False(waiter.Dead);
        });
    }
}
