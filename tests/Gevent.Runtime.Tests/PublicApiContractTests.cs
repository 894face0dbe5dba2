using System.Net;
using Gevent.Servers;

namespace Gevent.Tests;

/// <summary>
/// The public API contract (docs/architecture.md, "Public API contract"), written the way outside code calls it: this file failing to compile is a
/// broken contract. Each call's result is typed explicitly (so a changed return type breaks the build too) and
/// checked, so the names also do what gevent's do.
/// </summary>
public class PublicApiContractTests
{
    [Fact]
    public void GreenletsSpawnSleepJoinGetAndKillAsTheContractNamesThem()
    {
        HubTest.Run(() =>
        {
            Greenlet current = Greenlet.Current;
            Greenlet plain = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(5)));
            Greenlet<int> valued = Greenlet.Spawn(() => 42);
            Greenlet later = Greenlet.SpawnLater(TimeSpan.FromMilliseconds(1), () => { });
            Greenlet.Yield();
            IReadOnlyList<Greenlet> joined = Greenlet.JoinAll([plain, valued, later], timeout: TimeSpan.FromSeconds(20), throwOnError: false);
            Assert.Equal(3, joined.Count);
            bool finished = plain.Join(timeout: null);
            int value = valued.Get(timeout: TimeSpan.FromSeconds(1));
            Assert.True(finished && plain.Ready && plain.Dead && plain.Successful);
            Assert.Equal(42, value);
            Assert.Equal(42, valued.Value);
            Assert.Null(plain.Exception);
            Assert.False(current.Dead);

            // Links run in greenlets of their own, in the order added: the last one added says they all ran.
            var linked = new List<string>();
            var linksRan = new GreenEvent();
            var sleeper = Greenlet.Spawn(() => Greenlet.Sleep(Timeout.InfiniteTimeSpan));
            sleeper.Name = "sleeper";
            sleeper.Link(g => linked.Add(g.Name));
            sleeper.Link(_ => linksRan.Set());
            sleeper.Kill(exception: null, block: true, timeout: TimeSpan.FromSeconds(5));
            Assert.True(sleeper.Successful, "a greenlet ended by GreenletExit is successful");
            Assert.True(linksRan.Wait(TimeSpan.FromSeconds(5)));
            Assert.Equal(["sleeper"], linked);

            linksRan.Clear();
            var failing = Greenlet.Spawn(new Func<int>(() => throw new InvalidOperationException("boom")));
            failing.LinkException(g => linked.Add("failed"));
            failing.LinkValue(g => linked.Add("value"));
            failing.Link(_ => linksRan.Set());
            failing.Join();
            Assert.True(linksRan.Wait(TimeSpan.FromSeconds(5)));
            Assert.IsType<InvalidOperationException>(failing.Exception);
            Assert.Equal(["sleeper", "failed"], linked);
            var unlinked = Greenlet.Spawn(() => { });
            Action<Greenlet> never = _ => linked.Add("unlinked");
            unlinked.Link(never);
            unlinked.Unlink(never);
            unlinked.Link(_ => linksRan.Set());
            linksRan.Clear();
            Assert.True(linksRan.Wait(TimeSpan.FromSeconds(5)));
            Assert.DoesNotContain("unlinked", linked);

            var many = Enumerable.Range(1, 3).Select(i => Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(10 * i)))).ToList();
            IEnumerable<Greenlet> inOrder = Greenlet.IWait(many);
            Assert.Equal(many, inOrder.ToList());
            IReadOnlyList<Greenlet> done = Greenlet.Wait(many, timeout: TimeSpan.FromSeconds(1));
            Assert.Equal(3, done.Count);
            var forever = Greenlet.Spawn(() => Greenlet.Sleep(Timeout.InfiniteTimeSpan));
            Greenlet.KillAll([forever]);
            Assert.True(forever.Dead);
            Assert.True(typeof(GreenletExit).IsSubclassOf(typeof(Exception)));
        });
    }

    [Fact]
    public void TimeoutsEventsResultsQueuesAndChannelsAsTheContractNamesThem()
    {
        HubTest.Run(() =>
        {
            GreenTimeout timeout = GreenTimeout.Start(TimeSpan.FromMilliseconds(10), exception: null);
            bool pending = timeout.Pending;
            var thrown = Assert.Throws<GreenTimeoutException>(() => Greenlet.Sleep(TimeSpan.FromSeconds(10)));
            GreenTimeout which = thrown.Timeout;
            Assert.True(pending);
            Assert.Same(timeout, which);
            Assert.IsAssignableFrom<TimeoutException>(thrown);
            timeout.Dispose();
            string ran = GreenTimeout.Run(TimeSpan.FromMilliseconds(10), () =>
            {
                Greenlet.Sleep(TimeSpan.FromSeconds(10));
                return "finished";
            }, "timed out");
            Assert.Equal("timed out", ran);

            var ready = new GreenEvent();
            Greenlet.Spawn(ready.Set);
            bool set = ready.Wait(timeout: TimeSpan.FromSeconds(5));
            Assert.True(set && ready.IsSet);
            ready.Clear();
            Assert.False(ready.IsSet);

            var result = new AsyncResult<string>();
            Greenlet.Spawn(() => result.Set("answer"));
            string answer = result.Get(timeout: TimeSpan.FromSeconds(5));
            Assert.Equal("answer", answer);
            var failed = new AsyncResult<int>();
            failed.SetException(new FormatException());
            Assert.Throws<FormatException>(() => failed.Get());

            var queue = new GreenQueue<int>(maxSize: 2);
            queue.Put(1, timeout: null);
            queue.Put(2);
            int count = queue.Count;
            int first = queue.Get(timeout: TimeSpan.FromSeconds(1));
            bool took = queue.TryGet(out int second);
            Assert.Equal((2, 1, true, 2), (count, first, took, second));

            var channel = new GreenChannel<string>();
            Greenlet.Spawn(() => channel.Put("handed over"));
            string received = channel.Get();
            Assert.Equal("handed over", received);

            var lifo = new GreenLifoQueue<int>();
            lifo.Put(1);
            lifo.Put(2);
            Assert.Equal(2, lifo.Get());
            var priority = new GreenPriorityQueue<string, int>(item => item == "high" ? 1 : 9);
            priority.Put("low");
            priority.Put("high");
            Assert.Equal("high", priority.Get());
        });
    }

    [Fact]
    public void LocksPoolsTheThreadPoolLocalsAndTheHubAsTheContractNamesThem()
    {
        HubTest.Run(() =>
        {
            var semaphore = new GreenSemaphore(1);
            var bounded = new GreenBoundedSemaphore(1);
            var reentrant = new GreenLock();
            semaphore.Acquire();
            semaphore.Release();
            bounded.Acquire();
            bounded.Release();
            Assert.Throws<SemaphoreFullException>(bounded.Release);
            reentrant.Acquire();
            reentrant.Acquire();
            reentrant.Release();
            reentrant.Release();

            var pool = new Pool(2);
            int free = pool.FreeCount;
            Greenlet<int> doubled = pool.Spawn(() => 21 * 2);
            Greenlet action = pool.Spawn(() => { });
            IReadOnlyList<int> squares = pool.Map([1, 2, 3], x => x * x);
            IEnumerable<int> unordered = pool.IMapUnordered([1, 2, 3], x => x + 1);
            Assert.Equal([2, 3, 4], unordered.Order());
            pool.Join();
            Assert.Equal(2, free);
            Assert.Equal(42, doubled.Value);
            Assert.True(action.Successful);
            Assert.Equal([1, 4, 9], squares);
            var group = new Group();
            group.Spawn(() => { });
            group.Join();

            GreenThreadPool threads = Hub.Current.ThreadPool;
            AsyncResult<int> offloaded = threads.Spawn(() => Environment.CurrentManagedThreadId);
            Assert.NotEqual(Environment.CurrentManagedThreadId, offloaded.Get(TimeSpan.FromSeconds(20)));

            var local = new GreenletLocal<string>(() => "fresh");
            local.Value = "main";
            Assert.Equal("fresh", Greenlet.Spawn(() => local.Value).Get());
            Assert.Equal("main", local.Value);

            Hub hub = Hub.Current;
            HubMonitor monitor = Hub.Monitor;
            string runInfo = hub.FormatRunInfo();
            Assert.NotNull(monitor);
            Assert.StartsWith("Hub", runInfo);
            Assert.Throws<LoopExitException>(() => new GreenEvent().Wait());

            IDisposable disposable = hub;
            disposable.Dispose();
            bool disposed = hub.IsDisposed;
            Assert.True(disposed);
        });
    }

    [Fact]
    public void TheServersAreWhereTheContractPutsThem()
    {
        HubTest.Run(() =>
        {
            using var echo = new StreamServer(new IPEndPoint(IPAddress.Loopback, 0), connection => { });
            using var http = HttpServer.Create(new IPEndPoint(IPAddress.Loopback, 0), request => "hello");
            Assert.Equal("Gevent.Servers", typeof(StreamServer).Namespace);
            Assert.Equal("Gevent.Servers", typeof(HttpServer).Namespace);
        });
    }
}
