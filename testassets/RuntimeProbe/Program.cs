using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Gevent;
using Gevent.Patches;
using Gevent.Servers;

// Scenarios tests run as a separate process, so they can set GEVENT_* variables (read once per
// process) and observe what a real program prints and how it exits.
switch (args.FirstOrDefault())
{
    case "limit":
        return SpawnUntilRefused();
    case "spin":
        return SpinWhileAnotherWaits();
    case "echo-few-descriptors":
        return EchoWithFewDescriptors();
    case "waits-starved-pool":
        return WaitWhileThePoolIsStarved();
    default:
        Console.Error.WriteLine("usage: RuntimeProbe limit|spin|echo-few-descriptors|waits-starved-pool");
        return 2;
}

// Spawns sleeping greenlets until the runtime refuses one: the refusal must be an exception, not an abort.
static int SpawnUntilRefused()
{
    var sleepers = new List<Greenlet>();
    try
    {
        while (true)
        {
            sleepers.Add(Greenlet.Spawn(() => Greenlet.Sleep(Timeout.InfiniteTimeSpan)));
            if (sleepers.Count % 100 == 0)
            {
                Greenlet.Yield();
            }
        }
    }
    catch (GreenletLimitExceededException e)
    {
        Greenlet.Yield();
        Console.WriteLine($"alive: {sleepers.Count(g => g.Started && !g.Dead)}");
        Console.WriteLine($"refused: {e.Message}");
    }

    Greenlet.KillAll(sleepers);
    Console.WriteLine($"dead after KillAll: {sleepers.Count(g => g.Dead)}");
    return 0;
}

// A greenlet hogs the hub for 400 ms while another waits on a timer: the monitor, when enabled, reports it. With the
// monitor on, the hog goes on until a report comes (at most 30 s): on a loaded machine the monitor's thread may not be
// scheduled twice within 400 ms, and a report made while the hog runs is about the hog.
static int SpinWhileAnotherWaits()
{
    var waiter = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(10)));
    var hog = Greenlet.Spawn(() =>
    {
        var reportsBefore = Hub.Monitor.ReportCount;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromMilliseconds(400)
            || (Hub.Monitor.IsRunning && Hub.Monitor.ReportCount == reportsBefore && stopwatch.Elapsed < TimeSpan.FromSeconds(30)))
        {
            Thread.SpinWait(100);
        }
    });
    hog.Name = "probe hog";
    Greenlet.JoinAll([waiter, hog]);
    Console.WriteLine($"reports: {Hub.Monitor.ReportCount}");
    return 0;
}

// An echo server in a process allowed only a few more descriptors than it holds, so a test can exhaust
// them from outside and watch the accept loop back off and recover. Prints its port; serves until
// standard input closes.
static int EchoWithFewDescriptors()
{
    using var server = new StreamServer(new IPEndPoint(IPAddress.Loopback, 0), connection =>
    {
        var buffer = new byte[256];
        int read;
        while ((read = connection.Stream.Read(buffer)) > 0)
        {
            connection.Stream.Write(buffer, 0, read);
        }
    }, new StreamServerOptions { Backlog = 512 });
    server.Start();
    var stdin = new Thread(() =>
    {
        Console.In.ReadToEnd();
        Environment.Exit(0);
    }) { IsBackground = true };
    stdin.Start();
    // Room for a few connections beyond what the runtime and the server hold already.
    var open = (ulong)Directory.GetFiles("/proc/self/fd").Length;
    var limit = new Rlimit { Current = open + 16, Maximum = open + 16 };
    if (Native.setrlimit(7 /* RLIMIT_NOFILE */, ref limit) != 0)
    {
        Console.Error.WriteLine("setrlimit failed");
        return 1;
    }

    // Only now: the server accepts as soon as it starts (on every hub), and clients that came before the limit would
    // be counted into it, leaving the test's connections room enough never to run out.
    Console.WriteLine($"port {((IPEndPoint)server.LocalEndPoint!).Port}");
    Console.Out.Flush();

    server.ServeForever();
    return 0;
}

// The hub's main greenlet waits, through the replacements, for things that other threads end after 0.3 s while every
// thread of the .NET pool is blocked (as in an app whose blocking code starves it): a child process (Process.Exited is
// raised by a pool callback) and manual-reset events (parked on as registered waits, whose callbacks the pool runs).
// Prints how long each wait took; the pool is released after 20 s, so a wait that depends on it still ends and says so.
static int WaitWhileThePoolIsStarved()
{
    _ = Hub.Current;
    var threads = Environment.ProcessorCount;
    if (!ThreadPool.SetMinThreads(1, 1) || !ThreadPool.SetMaxThreads(threads, threads))
    {
        Console.Error.WriteLine("could not bound the thread pool");
        return 1;
    }

    using var release = new ManualResetEventSlim();
    using var blocked = new CountdownEvent(threads);
    for (var i = 0; i < threads; i++)
    {
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            blocked.Signal();
            release.Wait();
        }, null);
    }

    if (!blocked.Wait(TimeSpan.FromSeconds(30)))
    {
        Console.Error.WriteLine("the pool's threads did not all start");
        return 1;
    }

    // Threads of their own: a timer's callback would need the pool.
    void After(TimeSpan delay, Action action) => new Thread(() =>
    {
        Thread.Sleep(delay);
        action();
    }) { IsBackground = true }.Start();

    After(TimeSpan.FromSeconds(20), release.Set);
    // Each in a greenlet of its own, all at once, so that one wait held up until the release cannot hide another's.
    Greenlet<long> Timed(Action wait) => Greenlet.Spawn(() =>
    {
        var waited = Stopwatch.StartNew();
        wait();
        return waited.ElapsedMilliseconds;
    });

    using var child = Process.Start(new ProcessStartInfo("sleep", "0.3") { RedirectStandardOutput = true })!;
    using var handle = new ManualResetEvent(false);
    using var slim = new ManualResetEventSlim();
    var process = Timed(() => ProcessPatches.WaitForExit(child));
    var @event = Timed(() => WaitHandlePatches.WaitOne(handle));
    var slimEvent = Timed(() => ManualResetEventSlimPatches.Wait(slim));

    // A patched Set wakes its waiter itself: before anything the setting thread posts to the hub next, which the
    // looks (every second by then) and the starved pool's registered wait cannot do.
    using var patchedSlim = new ManualResetEventSlim();
    var patchedWoke = 0;
    var patchedSlimEvent = Greenlet.Spawn(() =>
    {
        ManualResetEventSlimPatches.Wait(patchedSlim);
        Volatile.Write(ref patchedWoke, 1);
    });
    var hub = Hub.Current;
    var wokenBeforeNextPost = new TaskCompletionSource<bool>();
    Greenlet.Yield();
    After(TimeSpan.FromMilliseconds(300), () =>
    {
        handle.Set();
        slim.Set();
    });
    After(TimeSpan.FromSeconds(3), () =>
    {
        ManualResetEventSlimPatches.Set(patchedSlim);

        // Spawned from the post, the checker runs after every greenlet already woken.
        hub.Loop.RunCallbackThreadSafe(() => Greenlet.Spawn(() => wokenBeforeNextPost.SetResult(Volatile.Read(ref patchedWoke) == 1)));
    });
    Greenlet.JoinAll([process, @event, slimEvent, patchedSlimEvent], throwOnError: true);
    var patchedWokeFirst = GreenTask.Result(wokenBeforeNextPost.Task);
    Console.WriteLine($"process_ms {process.Value} event_ms {@event.Value} slim_event_ms {slimEvent.Value} patched_set_woke_first {patchedWokeFirst} pool_released {release.IsSet}");
    release.Set();
    return 0;
}

[StructLayout(LayoutKind.Sequential)]
internal struct Rlimit
{
    public ulong Current;
    public ulong Maximum;
}

internal static class Native
{
    [DllImport("libc", SetLastError = true)]
    public static extern int setrlimit(int resource, ref Rlimit limit);
}
