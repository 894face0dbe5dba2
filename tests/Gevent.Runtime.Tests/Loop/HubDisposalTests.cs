using System.Diagnostics;
using System.Net.Sockets;
using Gevent.Loop;
using Gevent.Tests.Patches.Sockets;

namespace Gevent.Tests.Loop;

/// <summary>
/// <see cref="Hub.Dispose"/>: greenlets parked on the hub unwind, the loop and its descriptors close once, and
/// nothing that races the disposal from another thread reaches a closed (and perhaps reused) descriptor.
/// </summary>
[Collection(SequentialCollection.Name)]
public class HubDisposalTests
{
    [Fact]
    public void GreenletsParkedInASleepASocketReadAnEventWaitAndPoolWorkUnwind() => HubTest.Run(() =>
    {
        var hub = Hub.Current;
        var errors = HubTest.CaptureErrors();
        var (left, right) = SocketKit.TcpPair();
        using (left)
        using (right)
        using (var poolWorkDone = new ManualResetEventSlim())
        {
            var ended = new List<string>();
            var never = new GreenEvent();
            Greenlet Parked(string name, Action park) => Greenlet.Spawn(() =>
            {
                try
                {
                    park();
                }
                catch (GreenletExit)
                {
                    ended.Add(name + " saw GreenletExit");
                    throw;
                }
                finally
                {
                    ended.Add(name + " finally");
                }
            });

            var greenlets = new[]
            {
                Parked("sleep", () => Greenlet.Sleep(TimeSpan.FromHours(1))),
                Parked("read", () => hub.WaitForIo(left, IoEvents.Read, timeout: null)),
                Parked("event", () => never.Wait()),
                Parked("pool", () => hub.ThreadPool.Spawn(() => poolWorkDone.Wait(SocketKit.Generous)).Get()),
            };
            var unstarted = new Greenlet(() => ended.Add("unstarted ran"));
            Greenlet.Yield();
            Assert.All(greenlets, g => Assert.False(g.Dead));

            hub.Dispose();

            Assert.True(hub.IsDisposed);
            Assert.All(greenlets, g => Assert.True(g.Dead));
            Assert.Equal(
                ["event finally", "event saw GreenletExit", "pool finally", "pool saw GreenletExit", "read finally", "read saw GreenletExit", "sleep finally", "sleep saw GreenletExit"],
                ended.Order());
            var refused = Assert.Throws<ObjectDisposedException>(unstarted.Start);
            Assert.Contains($"Hub {hub.Id} was disposed", refused.Message);
            Assert.Throws<ObjectDisposedException>(() => hub.Loop.RunCallbackThreadSafe(() => { }));

            // The pool's work finishes after the hub is gone: its completion, posted to the closed loop, is dropped.
            poolWorkDone.Set();

            // The thread is new to Gevent again: its next use is a new hub, which works.
            Assert.NotSame(hub, Hub.Current);
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            Assert.Empty(errors);
        }
    });

    [Fact]
    public void GreenletsParkedOnAQueueALockAMonitorASemaphoreAChannelAPoolSlotAndAChildProcessUnwind() => HubTest.Run(() =>
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var hub = Hub.Current;
        var errors = HubTest.CaptureErrors();
        var ended = new List<string>();
        Greenlet Parked(string name, Action park) => Greenlet.Spawn(() =>
        {
            try
            {
                park();
            }
            catch (GreenletExit)
            {
                ended.Add(name);
                throw;
            }
        });

        var greenLock = new GreenLock();
        var monitor = new object();
        var semaphore = new GreenSemaphore(0);
        var pool = new Pool(1);
        using var child = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            greenLock.Acquire();
            Gevent.Patches.MonitorPatches.Enter(monitor);
            var greenlets = new[]
            {
                Parked("queue", () => new GreenQueue<int>().Get()),
                Parked("lock", () => greenLock.Acquire()),
                Parked("monitor", () => Gevent.Patches.MonitorPatches.Enter(monitor)),
                Parked("semaphore", () => semaphore.Acquire()),
                Parked("channel", () => new GreenChannel<int>().Put(1)),
                Parked("pool job", () => Greenlet.Sleep(TimeSpan.FromHours(1))),
                Parked("pool slot", () => pool.Spawn(() => { })),
                Parked("child process", () => Gevent.Patches.ProcessPatches.WaitForExit(child)),
            };
            pool.Add(greenlets[5]);
            Greenlet.Yield();
            Assert.All(greenlets, g => Assert.False(g.Dead, $"greenlet '{g.Name}' did not park"));

            hub.Dispose();

            Assert.All(greenlets, g => Assert.True(g.Dead));
            Assert.Equal(["channel", "child process", "lock", "monitor", "pool job", "pool slot", "queue", "semaphore"], ended.Order());
        }
        finally
        {
            Monitor.Exit(monitor);
            child.Kill();
        }

        // What the runtime's own threads post now (the child's exit, the monitor's release) reaches no hub and ends no process.
        Assert.True(child.WaitForExit(SocketKit.Generous));
        Greenlet.Sleep(TimeSpan.FromMilliseconds(50));
        Assert.Empty(errors);
    });

    [Fact]
    public void AGreenletSpawnedBeforeTheDisposal_GetsItsFirstRun_AndIsKilledAtItsFirstBlockingPoint_ADelayedStartIsCancelled() => HubTest.Run(() =>
    {
        var hub = Hub.Current;
        var steps = new List<string>();
        var spawnedWhileOpen = Greenlet.Spawn(() =>
        {
            steps.Add("ran");
            try
            {
                Greenlet.Sleep(Timeout.InfiniteTimeSpan);
            }
            catch (GreenletExit)
            {
                steps.Add("killed at its blocking point");
                throw;
            }
        });
        var delayed = Greenlet.SpawnLater(TimeSpan.FromHours(1), () => steps.Add("delayed ran"));

        // Neither has run yet: the disposal begins with one queued to start and one waiting for its delay.
        hub.Dispose();

        Assert.Equal(["ran", "killed at its blocking point"], steps);
        Assert.True(spawnedWhileOpen.Dead && delayed.Dead);
    });

    [Fact]
    public void ADisposedHubsLateCollectionClosesNoDescriptorThatReusesItsNumbers() => HubTest.OnPlainThread(() =>
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        static HashSet<string> OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Select(Path.GetFileName).ToHashSet()!;

        var before = OpenDescriptors();
        var hubsDescriptors = DisposeAHubAndForgetIt();
        Assert.NotEmpty(hubsDescriptors);

        // New sockets take the lowest free numbers, the dead hub's among them once lower holes are filled (at most 32 pairs;
        // UDP, since a TCP pair's passing listener would take the number and give it back).
        var pairs = new List<(Socket Left, Socket Right)>();
        bool Reused() => pairs.Any(p => hubsDescriptors.Contains(p.Left.Handle.ToString()) || hubsDescriptors.Contains(p.Right.Handle.ToString()));
        try
        {
            while (!Reused() && pairs.Count < 32)
            {
                pairs.Add(SocketKit.UdpPair());
            }

            Assert.True(Reused(), $"no socket of {pairs.Count} pairs reused the hub's descriptors {string.Join(", ", hubsDescriptors)}");

            // The hub, its loop and its handles are collected and finalized now: nothing closes the reused numbers.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            foreach (var (left, right) in pairs)
            {
                left.Send([1]);
                right.ReceiveTimeout = (int)SocketKit.Generous.TotalMilliseconds;
                Assert.Equal(1, right.Receive(new byte[1]));
            }
        }
        finally
        {
            pairs.ForEach(pair =>
            {
                pair.Left.Dispose();
                pair.Right.Dispose();
            });
        }

        // The descriptors the hub opened (other tests may open and close theirs meanwhile).
        List<string> DisposeAHubAndForgetIt()
        {
            var hub = Hub.Current;
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            var opened = OpenDescriptors().Except(before).ToList();
            hub.Dispose();
            return opened.Except(OpenDescriptors()).ToList();
        }
    });

    [Fact]
    public void ASecondDisposeDoesNothing_FromAnyThread() => HubTest.Run(() =>
    {
        var hub = Hub.Current;
        hub.Dispose();
        hub.Dispose();
        var other = new Thread(hub.Dispose);
        other.Start();
        Assert.True(other.Join(SocketKit.Generous));
        Assert.True(hub.IsDisposed);
    });

    [Fact]
    public void OnlyTheMainGreenletMayDispose_TheHubStaysOpenOtherwise() => HubTest.Run(() =>
    {
        var hub = Hub.Current;
        var fromGreenlet = Greenlet.Spawn(() => Assert.Throws<InvalidOperationException>(hub.Dispose));
        var fromCallback = new AsyncResult<Exception>();
        hub.Loop.RunCallback(() => fromCallback.Set(Record.Exception(hub.Dispose)!));
        Exception? fromThread = null;
        var other = new Thread(() => fromThread = Record.Exception(hub.Dispose));
        other.Start();
        Assert.True(other.Join(SocketKit.Generous));

        Assert.Contains("greenlet '", fromGreenlet.Get(SocketKit.Generous).Message);
        Assert.Contains("a loop callback", Assert.IsType<InvalidOperationException>(fromCallback.Get(SocketKit.Generous)).Message);
        Assert.Contains("a thread that is not a greenlet", Assert.IsType<InvalidOperationException>(fromThread).Message);
        Assert.False(hub.IsDisposed);
        Assert.Equal(7, Greenlet.Spawn(() => 7).Get(SocketKit.Generous));
        hub.Dispose();
    });

    [Fact]
    public void PostsRacingTheDisposalFromSeveralThreadsRunOnceOrAreRefused() => HubTest.Run(() =>
    {
        // Each round is a new hub (the thread is new to Gevent after each disposal): 30 closes raced by 3 posters.
        for (var round = 0; round < 30; round++)
        {
            var hub = Hub.Current;
            var ran = 0;
            var accepted = 0;
            var refusedEach = new int[3];
            using var go = new ManualResetEventSlim();
            var posters = Enumerable.Range(0, 3).Select(i => new Thread(() =>
            {
                go.Wait();
                var deadline = DateTime.UtcNow + SocketKit.Generous;
                while (DateTime.UtcNow < deadline)
                {
                    try
                    {
                        hub.Loop.RunCallbackThreadSafe(() => ran++);
                        Interlocked.Increment(ref accepted);
                    }
                    catch (ObjectDisposedException)
                    {
                        refusedEach[i]++;
                        return;
                    }
                }
            })).ToList();
            posters.ForEach(t => t.Start());
            go.Set();
            Greenlet.Sleep(TimeSpan.FromMilliseconds(round % 3));
            hub.Dispose();
            Assert.All(posters, t => Assert.True(t.Join(SocketKit.Generous)));

            // Every post accepted ran exactly once, on the hub's thread; every poster then met the close.
            Assert.Equal(Volatile.Read(ref accepted), ran);
            Assert.All(refusedEach, refused => Assert.Equal(1, refused));
        }
    });

    [Fact]
    public void DisposedHubsCloseTheirDescriptors_AndTouchNoneThatReusesTheirNumbers() => HubTest.OnPlainThread(() =>
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;

        // Held, so that no finalizer closes them: only Dispose can.
        var hubs = new List<Hub>();
        var before = OpenDescriptors();
        for (var i = 0; i < 20; i++)
        {
            var hub = Hub.Current;
            hubs.Add(hub);
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            hub.Dispose();
        }

        // Each hub held two (epoll and eventfd, or a socket): twenty left open would show forty.
        Assert.InRange(OpenDescriptors() - before, -1000, 10);

        // New descriptors take the lowest free numbers, the dead hubs' among them. Posts to the dead hubs from
        // several threads must write to none of them.
        var pairs = Enumerable.Range(0, 4).Select(_ => SocketKit.TcpPair()).ToList();
        try
        {
            var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
            {
                foreach (var hub in hubs)
                {
                    hub.Loop.PostThreadSafe(_ => throw new InvalidOperationException("ran on a disposed hub"), null);
                    Assert.Throws<ObjectDisposedException>(() => hub.Loop.RunCallbackThreadSafe(() => { }));
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            Assert.All(threads, t => Assert.True(t.Join(SocketKit.Generous)));
            Assert.All(pairs, pair => Assert.Equal((0, 0), (pair.Left.Available, pair.Right.Available)));
        }
        finally
        {
            pairs.ForEach(pair =>
            {
                pair.Left.Dispose();
                pair.Right.Dispose();
            });
        }
    });

    [Fact]
    public void AGreenletHostClosesItsLoopWhenDisposed() => HubTest.OnPlainThread(() =>
    {
        var host = new GreenletHost();
        var hub = host.Hub;
        var three = host.SpawnAsync(() => 3);
        Assert.True(three.Wait(SocketKit.Generous));
        Assert.Equal(3, three.Result);
        host.Dispose();
        Assert.True(hub.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => hub.Loop.RunCallbackThreadSafe(() => { }));
        Assert.Throws<ObjectDisposedException>(() => { _ = host.SpawnAsync(() => 4); });
        host.Dispose();
    });
}
