using Gevent.Patches;
using System.Diagnostics;

namespace Gevent.Tests.Patches.Locks;

public class MonitorPatchesTests
{
    [Fact]
    public void OutsideAGreenletTheOriginalsRunWithTheirExceptions()
    {
        var gate = new object();
        MonitorPatches.Enter(gate);
        Assert.True(Monitor.IsEntered(gate));
        MonitorPatches.Exit(gate);
        Assert.False(Monitor.IsEntered(gate));
        var taken = false;
        MonitorPatches.Enter(gate, ref taken);
        Assert.True(taken);
        MonitorPatches.Exit(gate);
        AssertSameFailures(gate);
    }

    [Fact]
    public void InAGreenletBadArgumentsFailAsTheOriginalsDo()
    {
        HubTest.Run(() => AssertSameFailures(new object()));
    }

    [Fact]
    public void AGreenletWaitingForALockHeldAcrossASwitchParksInsteadOfDeadlockingTheHub()
    {
        HubTest.Run(() =>
        {
            var gate = new object();
            var order = new List<string>();
            var holder = Greenlet.Spawn(() =>
            {
                var taken = false;
                MonitorPatches.Enter(gate, ref taken);
                try
                {
                    order.Add("holder in");
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(150));
                    order.Add("holder out");
                }
                finally
                {
                    MonitorPatches.Exit(gate);
                }
            });
            var contender = Greenlet.Spawn(() =>
            {
                var taken = false;
                MonitorPatches.Enter(gate, ref taken);
                try
                {
                    order.Add("contender in");
                }
                finally
                {
                    MonitorPatches.Exit(gate);
                }
            });
            var ticks = 0;
            var ticker = Greenlet.Spawn(() =>
            {
                while (!contender.Dead)
                {
                    ticks++;
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(2));
                }
            });
            Assert.Equal(3, Greenlet.JoinAll([holder, contender, ticker], TimeSpan.FromSeconds(20)).Count);
            Assert.Equal(["holder in", "holder out", "contender in"], order);
            Assert.True(ticks >= 3, $"the hub ran the ticker only {ticks} times while the lock was contended");
        });
    }

    [Fact]
    public void ContendingGreenletsExcludeEachOtherAndAllGetTheLock()
    {
        HubTest.Run(() =>
        {
            var gate = new object();
            var inside = 0;
            var maxInside = 0;
            var entries = 0;
            var stopwatch = Stopwatch.StartNew();
            var greenlets = Enumerable.Range(0, 10).Select(_ => Greenlet.Spawn(() =>
            {
                MonitorPatches.Enter(gate);
                try
                {
                    maxInside = Math.Max(maxInside, ++inside);
                    entries++;
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(10));
                    inside--;
                }
                finally
                {
                    MonitorPatches.Exit(gate);
                }
            })).ToList();
            Assert.Equal(10, Greenlet.JoinAll(greenlets, TimeSpan.FromSeconds(20)).Count);
            Assert.Equal(10, entries);
            Assert.Equal(1, maxInside);
            Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(99), "the critical sections overlapped in time");
        });
    }

    [Fact]
    public void ReentryByTheSameGreenletDoesNotWait()
    {
        HubTest.Run(() =>
        {
            var gate = new object();
            MonitorPatches.Enter(gate);
            MonitorPatches.Enter(gate);
            Assert.True(MonitorPatches.TryEnter(gate, 0));
            MonitorPatches.Exit(gate);
            MonitorPatches.Exit(gate);
            Assert.True(Monitor.IsEntered(gate));
            MonitorPatches.Exit(gate);
            Assert.False(Monitor.IsEntered(gate));
        });
    }

    [Fact]
    public void TryEnterTimesOutAndKillOrTimeoutInterruptAWaitingGreenlet()
    {
        HubTest.Run(() =>
        {
            var gate = new object();
            var release = false;
            var holder = Greenlet.Spawn(() =>
            {
                MonitorPatches.Enter(gate);
                while (!release)
                {
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
                }

                MonitorPatches.Exit(gate);
            });
            Greenlet.Yield();

            var stopwatch = Stopwatch.StartNew();
            Assert.False(MonitorPatches.TryEnter(gate, 30));
            Assert.False(MonitorPatches.TryEnter(gate, TimeSpan.FromMilliseconds(30)));
            Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(59));

            Assert.False(GreenTimeout.TryRun(TimeSpan.FromMilliseconds(20), () => MonitorPatches.Enter(gate)));
            Assert.False(Monitor.IsEntered(gate));

            var cleaned = false;
            var waiter = Greenlet.Spawn(() =>
            {
                try
                {
                    MonitorPatches.Enter(gate);
                }
                finally
                {
                    cleaned = true;
                }
            });
            Greenlet.Yield();
            waiter.Kill();
            Assert.True(cleaned);

            release = true;
            holder.Join();
            Assert.True(MonitorPatches.TryEnter(gate, 1000));
            MonitorPatches.Exit(gate);
        });
    }

    [Fact]
    public void AGreenletWaitingForALockHeldByAPlainThreadLetsTheHubRun()
    {
        HubTest.Run(() =>
        {
            var gate = new object();
            using var held = new ManualResetEventSlim();
            var holder = new Thread(() =>
            {
                lock (gate)
                {
                    held.Set();
                    Thread.Sleep(300);
                }
            });
            holder.Start();
            held.Wait();

            using var ticker = new Ticker();
            MonitorPatches.Enter(gate);
            MonitorPatches.Exit(gate);
            holder.Join();
            ticker.AssertKeptRunning("while waiting for the thread's lock");
        });
    }

    [Fact]
    public void WaitAndPulseHandOffBetweenGreenlets()
    {
        HubTest.Run(() =>
        {
            var gate = new object();
            var items = new Queue<int>();
            var received = new List<int>();
            var consumer = Greenlet.Spawn(() =>
            {
                MonitorPatches.Enter(gate);
                try
                {
                    while (received.Count < 5)
                    {
                        while (items.Count == 0)
                        {
                            Assert.True(MonitorPatches.Wait(gate));
                        }

                        received.Add(items.Dequeue());
                    }
                }
                finally
                {
                    MonitorPatches.Exit(gate);
                }
            });
            for (var i = 0; i < 5; i++)
            {
                MonitorPatches.Enter(gate);
                items.Enqueue(i);
                MonitorPatches.Pulse(gate);
                MonitorPatches.Exit(gate);
                Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            }

            consumer.Get(TimeSpan.FromSeconds(20));
            Assert.Equal([0, 1, 2, 3, 4], received);
        });
    }

    [Fact]
    public void WaitTimesOutReacquiresAtTheSameDepthAndStaysConsistentWhenKilled()
    {
        HubTest.Run(() =>
        {
            var gate = new object();
            MonitorPatches.Enter(gate);
            MonitorPatches.Enter(gate);
            Assert.False(MonitorPatches.Wait(gate, 20));
            MonitorPatches.Exit(gate);
            Assert.True(Monitor.IsEntered(gate));
            MonitorPatches.Exit(gate);
            Assert.False(Monitor.IsEntered(gate));

            var exitedCleanly = false;
            var waiter = Greenlet.Spawn(() =>
            {
                MonitorPatches.Enter(gate);
                try
                {
                    MonitorPatches.Wait(gate);
                }
                finally
                {
                    // Wait took the monitor back before the kill reached here, so Exit is legal.
                    MonitorPatches.Exit(gate);
                    exitedCleanly = true;
                }
            });
            Greenlet.Yield();
            waiter.Kill();
            Assert.True(exitedCleanly);
            Assert.True(waiter.Successful);
        });
    }

    [Fact]
    public void PulseAllWakesEveryWaitingGreenlet()
    {
        HubTest.Run(() =>
        {
            var gate = new object();
            var woke = 0;
            var waiters = Enumerable.Range(0, 5).Select(_ => Greenlet.Spawn(() =>
            {
                MonitorPatches.Enter(gate);
                try
                {
                    if (MonitorPatches.Wait(gate, TimeSpan.FromSeconds(20)))
                    {
                        woke++;
                    }
                }
                finally
                {
                    MonitorPatches.Exit(gate);
                }
            })).ToList();
            Greenlet.Yield();
            MonitorPatches.Enter(gate);
            MonitorPatches.PulseAll(gate);
            MonitorPatches.Exit(gate);
            Greenlet.JoinAll(waiters);
            Assert.Equal(5, woke);
        });
    }

    private static void AssertSameFailures(object gate)
    {
        var taken = true;
        Same(() => Monitor.Enter(null!), () => MonitorPatches.Enter(null!));
        Same(() => Monitor.Exit(gate), () => MonitorPatches.Exit(gate));
        Same(() => Monitor.TryEnter(gate, -2), () => MonitorPatches.TryEnter(gate, -2));
        Same(() => Monitor.TryEnter(gate, TimeSpan.FromDays(-1)), () => MonitorPatches.TryEnter(gate, TimeSpan.FromDays(-1)));
        Same(() => Monitor.TryEnter(gate, 5, ref taken), () => MonitorPatches.TryEnter(gate, 5, ref taken));
        Same(() => Monitor.Enter(gate, ref taken), () => MonitorPatches.Enter(gate, ref taken));
        Same(() => Monitor.Wait(gate), () => MonitorPatches.Wait(gate));
        Same(() => Monitor.Pulse(gate), () => MonitorPatches.Pulse(gate));
        Same(() => Monitor.PulseAll(gate), () => MonitorPatches.PulseAll(gate));
    }

    private static void Same(Action original, Action replacement)
    {
        var expected = Record.Exception(original);
        var actual = Record.Exception(replacement);
        Assert.NotNull(expected);
        Assert.Equal(expected!.GetType(), actual?.GetType());
    }
}
