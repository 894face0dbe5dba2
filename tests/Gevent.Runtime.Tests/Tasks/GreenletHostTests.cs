using Gevent.Greenlets.Threads;

namespace Gevent.Runtime.Tests.Tasks;

public class GreenletHostTests
{
    [Fact]
    public void AFailureEscapingTheHostsThreadGoesToTheErrorHandler_NotOutOfTheProcess() => HubTest.OnPlainThread(() =>
    {
        var host = new GreenletHost();
        var reported = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Hub.ErrorHandler = (_, e) => reported.TrySetResult(e);

        // Killing the host's main greenlet throws out of its wait, on the host's own thread.
        _ = host.SpawnAsync(() => host.Hub.MainGreenlet.Kill(block: false));

        Assert.True(reported.Task.Wait(TimeSpan.FromSeconds(30)), "nothing reached the error handler");
        Assert.IsType<GreenletExit>(reported.Task.Result);
        host.Dispose();
    });

    [Fact]
    public void AsyncCodeOnAPlainThread_SpawnsAGreenletAndAwaitsItsResult() => HubTest.OnPlainThread(() =>
    {
        using var host = new GreenletHost();
        var result = Task.Run(async () => await host.SpawnAsync(() =>
        {
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            return (Greenlet.Current.Hub == host.Hub, 42);
        })).GetAwaiter().GetResult();

        Assert.Equal((true, 42), result);
        Assert.Null(Hub.CurrentGreenletOrNull);
    });

    [Fact]
    public void AGreenlet_CanBeAwaitedFromAnotherThread() => HubTest.Run(() =>
    {
        using var host = new GreenletHost();
        var gate = new TaskCompletionSource<bool>();
        var value = Task.Run(async () =>
        {
            var greenlet = await host.SpawnAsync(() => Greenlet.Spawn(() =>
            {
                GreenTask.Wait(gate.Task);
                return 9;
            }));
            Assert.False(greenlet.AsTask().IsCompleted);
            gate.SetResult(true);
            return await greenlet;
        }).GetAwaiter().GetResult();

        Assert.Equal(9, value);
    });

    [Fact]
    public void AGreenletsFailure_FailsTheAwait() => HubTest.Run(() =>
    {
        using var host = new GreenletHost();
        host.Hub.ErrorHandler = (_, _) => { };
        var failure = Assert.ThrowsAsync<FormatException>(() => host.SpawnAsync(() => throw new FormatException("in greenlet")));
        Assert.Equal("in greenlet", failure.GetAwaiter().GetResult().Message);
    });

    [Fact]
    public void SpawnAsyncRacingDispose_RunsOrIsRefused_NeverCompletesWithAValueNobodyComputed() => HubTest.OnPlainThread(() =>
    {
        // A call accepted just before the close reaches a hub that is already ending: it must fail, not complete with
        // the default of a greenlet killed before it ran. Bounded: 50 hosts or 20 s.
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var (computed, refused, rounds) = (0, 0, 0);
        for (; rounds < 50 && elapsed.Elapsed < TimeSpan.FromSeconds(20); rounds++)
        {
            var host = new GreenletHost();
            var tasks = new List<Task<int>>();
            using var go = new ManualResetEventSlim();
            var poster = new Thread(() =>
            {
                go.Wait();
                for (var i = 0; i < 100_000; i++)
                {
                    try
                    {
                        // Now and then waits for one, so that at most a few dozen greenlets live at once.
                        var task = host.SpawnAsync(() => 7);
                        tasks.Add(task);
                        if (i % 16 == 15)
                        {
                            ((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20));
                        }
                    }
                    catch (ObjectDisposedException)
                    {
                        refused++;
                        return;
                    }
                }
            });
            poster.Start();
            go.Set();
            Thread.Sleep(rounds % 3);
            host.Dispose();
            Assert.True(poster.Join(TimeSpan.FromSeconds(20)), "the poster did not stop");
            foreach (var task in tasks)
            {
                Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)), "a task never completed");
                if (task.IsFaulted)
                {
                    Assert.IsType<ObjectDisposedException>(task.Exception!.InnerException);
                }
                else
                {
                    Assert.Equal(7, task.Result);
                    computed++;
                }
            }
        }

        Assert.True(computed > 0 && refused == rounds, $"{computed} computed, {refused} refused in {rounds} rounds");
    }, timeoutSeconds: 90);

    [Fact]
    public void AGreenletOfADisposedHub_GivesItsOutcomeToAnAwaitAtOnce() => HubTest.Run(() =>
    {
        var hub = Hub.Current;
        hub.ErrorHandler = (_, _) => { };
        var returned = Greenlet.Spawn(() => 5);
        var failed = Greenlet.Spawn(new Func<int>(() => throw new FormatException("failed")));
        var parked = Greenlet.Spawn(() =>
        {
            Greenlet.Sleep(TimeSpan.FromHours(1));
            return 6;
        });
        Greenlet.Yield();
        var awaitedBefore = Task.Run(() => new[] { parked.AsTask() }).GetAwaiter().GetResult()[0];
        hub.Dispose();

        // From another thread, as async code would: the hub's loop is closed, so nothing is posted to it.
        var (value, failure, killed) = Task.Run(() => (returned.AsTask(), failed.AsTask(), parked.AsTask())).GetAwaiter().GetResult();
        Assert.Equal(TaskStatus.RanToCompletion, value.Status);
        Assert.Equal(5, value.Result);
        Assert.Equal("failed", Assert.IsType<FormatException>(failure.Exception!.InnerException).Message);
        Assert.Equal((TaskStatus.RanToCompletion, 0), (killed.Status, killed.Result));
        Assert.True(((IAsyncResult)awaitedBefore).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)));
        Assert.Equal(0, awaitedBefore.Result);
    });

    [Fact]
    public void Dispose_LetsRunningGreenletsFinish_ThenRefusesWork() => HubTest.Run(() =>
    {
        var host = new GreenletHost();
        var finished = false;
        var started = host.SpawnAsync(() => Greenlet.Spawn(() =>
        {
            Greenlet.Sleep(TimeSpan.FromMilliseconds(20));
            finished = true;
        })).GetAwaiter().GetResult();

        host.Dispose();
        Assert.True(finished);
        Assert.True(started.Dead);
        Action spawnAfterDispose = () => host.SpawnAsync(() => 1);
        Assert.Throws<ObjectDisposedException>(spawnAfterDispose);
    });

    [Fact]
    public void TwoHosts_InTurn_EachStartsItsGreenletsAtOnce() => HubTest.OnPlainThread(() =>
    {
        using var first = new GreenletHost("first");
        using var second = new GreenletHost("second");

        // A greenlet that finishes hands its hub on from its own thread, which then waits in that hub's loop while
        // the hub has nothing to do. That thread, back in the shared pool, must not be given to the other hub.
        for (var round = 0; round < 10; round++)
        {
            Assert.True(first.SpawnAsync(() => Hub.Current.Id).Wait(TimeSpan.FromSeconds(20)), $"round {round}: the first hub's greenlet never ran");
            Assert.True(second.SpawnAsync(() => Hub.Current.Id).Wait(TimeSpan.FromSeconds(20)), $"round {round}: the second hub's greenlet never ran");
        }
    });

    [Fact]
    public void AHostGivenACpu_PutsItsHubThere() => HubTest.OnPlainThread(() =>
    {
        if (!GeventConfig.Current.HubCpuAffinity || !CpuAffinity.Supported)
        {
            return; // hubs are not pinned here
        }

        // Two hosts on each CPU in turn: the round-robin alone would have moved the second to another CPU.
        foreach (var cpu in CpuAffinity.AllowedCpus)
        {
            using var first = new GreenletHost("given a cpu", cpu);
            using var second = new GreenletHost("given the same cpu", cpu);
            Assert.Equal([cpu, cpu], new[] { first.Hub.Cpu, second.Hub.Cpu });
        }
    });
}
