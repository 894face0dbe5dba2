using System.Diagnostics;

namespace Gevent.Tests.Hubs;

public class HubGroupTests
{
    [Fact]
    public void EachHub_RunsOnAThreadAndCpuOfItsOwn() => HubTest.OnPlainThread(() =>
    {
        using var group = HubGroup.Start(2);
        Assert.Equal(2, group.Count);

        var seen = Enumerable.Range(0, group.Count)
            .Select(i => group.SpawnAsync(i, () => (Hub: Hub.Current, Thread: Environment.CurrentManagedThreadId)))
            .Select(task => task.Result)
            .ToArray();

        Assert.Equal(group.Hubs, seen.Select(s => s.Hub));
        Assert.NotEqual(seen[0].Thread, seen[1].Thread);
        if (GeventConfig.Current.HubCpuAffinity && GeventConfig.HubsPerCpu >= 2)
        {
            Assert.NotEqual(group.Hubs[0].Cpu, group.Hubs[1].Cpu);
        }

        Assert.NotSame(
            group.SpawnAsync(0, () => Hub.Current.ThreadPool).Result,
            group.SpawnAsync(1, () => Hub.Current.ThreadPool).Result);
    });

    [Fact]
    public void AGroupsHubs_TakeDifferentCpus_WhileOtherThreadsMakeHubs()
    {
        if (!GeventConfig.Current.HubCpuAffinity || GeventConfig.HubsPerCpu < 2)
        {
            return; // nothing to spread over: one CPU, or pinning off
        }

        // A group's hubs once shared a CPU when a hub made elsewhere took a turn of the round-robin between them.
        using var stop = new CancellationTokenSource();
        var other = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                new GreenletHost("elsewhere").Dispose();
            }
        });
        other.Start();
        try
        {
            for (var round = 0; round < 10; round++)
            {
                using var group = HubGroup.Start(2);
                Assert.NotEqual(group.Hubs[0].Cpu, group.Hubs[1].Cpu);
            }
        }
        finally
        {
            stop.Cancel();
            Assert.True(other.Join(TimeSpan.FromSeconds(30)), "the thread making other hubs did not stop");
        }
    }

    [Fact]
    public void AGreenlet_JoinsWorkOnAnotherHub_WithoutBlockingItsOwn() => HubTest.Run(() =>
    {
        using var group = HubGroup.Start(1);
        using var ticker = new Ticker();

        var result = GreenTask.GetResult(group.SpawnAsync(0, () =>
        {
            ticker.SleepWhileTicking(TimeSpan.FromMilliseconds(200));
            return Hub.Current;
        }));

        Assert.Same(group.Hubs[0], result);
        Assert.NotSame(Hub.Current, result);
        ticker.AssertKeptRunning("while the other hub worked");
    });

    [Fact]
    public void AFailureOnAnotherHub_IsRethrownToTheJoiner() => HubTest.Run(() =>
    {
        using var group = HubGroup.Start(1);
        group.Hubs[0].ErrorHandler = (_, _) => { };

        var thrown = Assert.Throws<FormatException>(() => GreenTask.GetResult(group.SpawnAsync<int>(0, () => throw new FormatException("on hub"))));
        Assert.Equal("on hub", thrown.Message);
    });

    [Fact]
    public void ACpuBoundGreenletOnOneHub_DoesNotDelayAnotherHubsGreenlets() => HubTest.OnPlainThread(() =>
    {
        using var group = HubGroup.Start(2);
        var spin = TimeSpan.FromSeconds(2);
        var spinnerDone = 0;
        using var spinning = new ManualResetEventSlim();
        var spinner = group.SpawnAsync(0, () =>
        {
            spinning.Set();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < spin)
            {
                // Never yields: holds hub 0 for the whole spin.
            }

            Volatile.Write(ref spinnerDone, 1);
        });
        Assert.True(spinning.Wait(TimeSpan.FromSeconds(30)));

        // Ten short sleeps: the same work on both hubs, started while hub 0 spins.
        bool SleepsFinishBeforeTheSpin()
        {
            for (var i = 0; i < 10; i++)
            {
                Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
            }

            return Volatile.Read(ref spinnerDone) == 0;
        }

        var control = group.SpawnAsync(0, SleepsFinishBeforeTheSpin);
        var other = group.SpawnAsync(1, SleepsFinishBeforeTheSpin);

        Assert.True(other.Wait(TimeSpan.FromSeconds(30)));
        Assert.True(other.Result, "hub 1's sleeps waited for hub 0's CPU-bound greenlet");
        Assert.True(spinner.Wait(TimeSpan.FromSeconds(30)) && control.Wait(TimeSpan.FromSeconds(30)));
        Assert.False(control.Result, "the control on hub 0 itself should have waited for the spin");
    });

    [Fact]
    public void AHubsObjects_RefuseAnotherHubsGreenlets() => HubTest.OnPlainThread(() =>
    {
        using var group = HubGroup.Start(2);
        var ownEvent = group.SpawnAsync(0, () => new GreenEvent()).Result;

        var refused = Assert.ThrowsAsync<InvalidOperationException>(() => group.SpawnAsync(1, () => ownEvent.Set()))
            .GetAwaiter().GetResult();

        Assert.Contains($"belongs to hub {group.Hubs[0].Id}", refused.Message);
        Assert.Contains($"a greenlet of hub {group.Hubs[1].Id}", refused.Message);
    });

    [Fact]
    public void Dispose_KillsGreenletsParkedOnEveryHub_RunningTheirFinallyBlocks() => HubTest.OnPlainThread(() =>
    {
        var group = HubGroup.Start(3);
        var parkedPerHub = 4;
        using var allParked = new CountdownEvent(group.Count * parkedPerHub);
        var unwound = 0;
        for (var i = 0; i < group.Count; i++)
        {
            group.SpawnAsync(i, () =>
            {
                var never = new GreenEvent();
                for (var j = 0; j < parkedPerHub; j++)
                {
                    var onEvent = j % 2 == 0;
                    Greenlet.Spawn(() =>
                    {
                        try
                        {
                            allParked.Signal();
                            if (onEvent)
                            {
                                never.Wait();
                            }
                            else
                            {
                                Greenlet.Sleep(TimeSpan.FromHours(1));
                            }
                        }
                        finally
                        {
                            Interlocked.Increment(ref unwound);
                        }
                    });
                }
            }).Wait();
        }

        Assert.True(allParked.Wait(TimeSpan.FromSeconds(30)));
        group.Dispose();

        Assert.Equal(group.Count * parkedPerHub, Volatile.Read(ref unwound));
        Assert.All(group.Hubs, hub => Assert.True(hub.IsDisposed));
        Assert.Throws<ObjectDisposedException>(() => { _ = group.SpawnAsync(0, () => 1); });
        group.Dispose();
    });

    [Fact]
    public void Dispose_FromAGreenletOfAnotherHub_ParksOnlyIt_AndUnwindsGreenletsParkedOnEveryHub() => HubTest.Run(() =>
    {
        var group = HubGroup.Start(2);
        var unwound = 0;
        var parked = 0;
        for (var i = 0; i < group.Count; i++)
        {
            GreenTask.GetResult(group.SpawnAsync(i, () =>
            {
                for (var j = 0; j < 3; j++)
                {
                    Greenlet.Spawn(() =>
                    {
                        try
                        {
                            Interlocked.Increment(ref parked);
                            Greenlet.Sleep(TimeSpan.FromHours(1));
                        }
                        finally
                        {
                            Interlocked.Increment(ref unwound);
                        }
                    });
                }
            }));
        }

        // A greenlet that holds hub 1 without a switch: the disposal waits for it, and the disposer's hub must not. It
        // spins until the disposer's hub has proved it kept running (at most 30 s), not for a fixed time that a busy
        // machine could use up before the disposal even began.
        var spinning = 0;
        Ticker? disposersTicker = null;
        _ = group.SpawnAsync(1, () =>
        {
            Volatile.Write(ref spinning, 1);
            var clock = Stopwatch.StartNew();
            while ((Volatile.Read(ref disposersTicker)?.Ticks ?? 0) < Ticker.KeptRunningTicks && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                // Never yields.
            }
        });
        Gevent.Tests.Servers.StreamServerTests.WaitUntil(() => Volatile.Read(ref parked) == 6 && Volatile.Read(ref spinning) == 1);

        using var ticker = new Ticker();
        Volatile.Write(ref disposersTicker, ticker);
        group.Dispose();

        ticker.AssertKeptRunning("while another hub's group was disposed");
        Assert.Equal(6, Volatile.Read(ref unwound));
        Assert.All(group.Hubs, hub => Assert.True(hub.IsDisposed));
    });

    [Fact]
    public void Dispose_FromOneOfTheGroupsGreenlets_Throws() => HubTest.OnPlainThread(() =>
    {
        using var group = HubGroup.Start(1);
        var refused = Assert.ThrowsAsync<InvalidOperationException>(() => group.SpawnAsync(0, group.Dispose)).GetAwaiter().GetResult();
        Assert.Contains("would wait for itself", refused.Message);
    });

    [Fact]
    public void BadArguments_GetClearErrors() => HubTest.OnPlainThread(() =>
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HubGroup.Start(0));
        using var group = HubGroup.Start(1);
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = group.SpawnAsync(1, () => 1); });
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = group.SpawnAsync(-1, () => 1); });
        Assert.Equal([0, 0], new[] { group.NextIndex(), group.NextIndex() });
    });
}
