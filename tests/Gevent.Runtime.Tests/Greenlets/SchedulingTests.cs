using System.Diagnostics;

namespace Gevent.Tests.Greenlets;

public class SchedulingTests
{
    [Fact]
    public void YieldRunsReadyGreenletsInFifoOrder()
    {
        HubTest.Run(() =>
        {
            var log = new List<string>();
            var first = Greenlet.Spawn(() => { log.Add("1A"); Greenlet.Yield(); log.Add("1B"); });
            var second = Greenlet.Spawn(() => { log.Add("2A"); Greenlet.Yield(); log.Add("2B"); });
            Greenlet.JoinAll([first, second]);
            Assert.Equal(["1A", "2A", "1B", "2B"], log);
        });
    }

    [Fact]
    public void SpawnedGreenletDoesNotRunUntilTheSpawnerBlocks()
    {
        HubTest.Run(() =>
        {
            var ran = false;
            var greenlet = Greenlet.Spawn(() => ran = true);
            Assert.False(ran);
            Greenlet.Yield();
            Assert.True(ran);
            Assert.True(greenlet.Dead);
        });
    }

    [Fact]
    public void GreenletsOfOneHubNeverRunAtTheSameTime()
    {
        HubTest.Run(() =>
        {
            var inside = 0;
            var overlaps = 0;
            var greenlets = Enumerable.Range(0, 50).Select(_ => Greenlet.Spawn(() =>
            {
                for (var i = 0; i < 20; i++)
                {
                    if (Interlocked.Increment(ref inside) != 1)
                    {
                        overlaps++;
                    }

                    Thread.SpinWait(200);
                    Interlocked.Decrement(ref inside);
                    Greenlet.Yield();
                }
            })).ToList();
            Greenlet.JoinAll(greenlets);
            Assert.Equal(0, overlaps);
            Assert.All(greenlets, g => Assert.True(g.Successful));
        });
    }

    [Fact]
    public void YieldingInALoopCannotStarveATimer()
    {
        HubTest.Run(() =>
        {
            var sleeperWoke = false;
            var sleeper = Greenlet.Spawn(() =>
            {
                Greenlet.Sleep(TimeSpan.FromMilliseconds(20));
                sleeperWoke = true;
            });
            var stopwatch = Stopwatch.StartNew();
            while (!sleeperWoke && stopwatch.Elapsed < TimeSpan.FromSeconds(20))
            {
                Greenlet.Yield();
            }

            Assert.True(sleeperWoke, "the timer never fired while the main greenlet kept yielding");
            Assert.True(sleeper.Join(TimeSpan.FromSeconds(5)));
        });
    }

    [Fact]
    public void ManySleepersFinishInAboutOnePeriod()
    {
        HubTest.Run(() =>
        {
            var stopwatch = Stopwatch.StartNew();
            var greenlets = Enumerable.Range(0, 500)
                .Select(_ => Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(300))))
                .ToList();
            var done = Greenlet.JoinAll(greenlets);
            Assert.Equal(500, done.Count);
            // One after another they take 150 s. Starting 500 greenlets (500 threads in tier 1) took 14.7 s on a CI
            // machine loaded by other test hosts, so the bound is a third of the serial time, not a few periods.
            Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(500 * 0.3 / 3));
        });
    }

    [Fact]
    public void SleepWaitsAtLeastItsDuration()
    {
        HubTest.Run(() =>
        {
            var stopwatch = Stopwatch.StartNew();
            Greenlet.Sleep(TimeSpan.FromMilliseconds(50));
            Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(49), $"woke after {stopwatch.Elapsed}");
        });
    }

    [Fact]
    public void SpawnLaterStartsAfterItsDelayAndInDeadlineOrder()
    {
        HubTest.Run(() =>
        {
            var order = new List<int>();
            var stopwatch = Stopwatch.StartNew();
            var late = Greenlet.SpawnLater(TimeSpan.FromMilliseconds(60), () => order.Add(2));
            var early = Greenlet.SpawnLater(TimeSpan.FromMilliseconds(30), () => order.Add(1));
            Greenlet.JoinAll([late, early]);
            Assert.Equal([1, 2], order);
            Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(59));
        });
    }

    [Fact]
    public void SpawnOfTReturnsItsValue()
    {
        HubTest.Run(() =>
        {
            var greenlet = Greenlet.Spawn(() =>
            {
                Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
                return 42;
            });
            Assert.Equal(42, greenlet.Get());
            Assert.Equal(42, greenlet.Value);
        });
    }

    [Fact]
    public void CurrentIsTheRunningGreenletAndMainOnTheHubThread()
    {
        HubTest.Run(() =>
        {
            var main = Greenlet.Current;
            Assert.True(main.IsMain);
            Assert.Same(Hub.Current.MainGreenlet, main);
            Greenlet? seen = null;
            var child = Greenlet.Spawn(() => seen = Greenlet.Current);
            child.Join();
            Assert.Same(child, seen);
            Assert.Same(main, Greenlet.Current);
        });
    }

    [Fact]
    public void EachThreadNewToGeventGetsItsOwnHub()
    {
        Hub? first = null;
        Hub? second = null;
        HubTest.Run(() => first = Hub.Current);
        HubTest.Run(() => second = Hub.Current);
        Assert.NotNull(first);
        Assert.NotSame(first, second);
    }
}
