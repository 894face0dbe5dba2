using Gevent.CompilerServices;

namespace Gevent.Tests.Greenlets.Stackless;

/// <summary>
/// Greenlets whose bodies are hand-woven resumable frames run stackless: on a carrier thread they do not own,
/// switching among themselves by returning to the carrier, and beside thread-backed greenlets.
/// </summary>
public class StacklessSchedulingTests
{
    [Fact]
    public void StacklessGreenletsYieldInTurnOnOneCarrierThread()
    {
        HubTest.Run(() =>
        {
            var log = new List<string>();
            var threads = new HashSet<int>();
            var greenlets = new[] { "a", "b", "c" }.Select(name => ResumableGreenlet.Spawn(new Yielder(name, 3, log, threads).Run)).ToList();

            Greenlet.JoinAll(greenlets);

            Assert.Equal(["a 0", "b 0", "c 0", "a 1", "b 1", "c 1", "a 2", "b 2", "c 2"], log);
            Assert.All(greenlets, g => Assert.True(g.Successful));
            Assert.Single(threads);
            Assert.DoesNotContain(Environment.CurrentManagedThreadId, threads);
            Assert.Null(Hub.Current.Pins.Describe());
        });
    }

    [Fact]
    public void SleepEventAndQueueWaitsSuspendAndResumeWithTheirResults()
    {
        HubTest.Run(() =>
        {
            var slept = new List<int>();
            var sleeper = ResumableGreenlet.Spawn([Resumable] () => Woven.SleepTimes(3, TimeSpan.FromMilliseconds(2), slept));
            var e = new GreenEvent();
            var woken = new List<bool>();
            var waiters = Enumerable.Range(0, 3).Select(_ => ResumableGreenlet.Spawn([Resumable] () => Woven.WaitFor(e, woken))).ToList();
            var first = new GreenQueue<int>();
            var second = new GreenQueue<int>();
            var last = new GreenQueue<int>();
            var relays = new[]
            {
                ResumableGreenlet.Spawn([Resumable] () => Woven.Relay(first, second, 5)),
                ResumableGreenlet.Spawn([Resumable] () => Woven.Relay(second, last, 5)),
            };
            Greenlet.Yield();

            e.Set();
            var results = new List<int>();
            for (var i = 0; i < 5; i++)
            {
                first.Put(i * 10);
                results.Add(last.Get());
            }

            Assert.All<Greenlet>([sleeper, .. waiters, .. relays], g => Assert.NotNull(g.Frames));
            Assert.Equal(3, sleeper.Get());
            Assert.Equal([0, 1, 2], slept);
            Greenlet.JoinAll(waiters);
            Assert.Equal([true, true, true], woken);
            Assert.Equal([2, 12, 22, 32, 42], results);
            Assert.All(relays, relay => Assert.Equal(5, relay.Get()));
            Assert.Null(Hub.Current.Pins.Describe());
        });
    }

    [Fact]
    public void StacklessAndThreadBackedGreenletsShareTheBatonAndAQueue()
    {
        HubTest.Run(() =>
        {
            var log = new List<string>();
            var threads = new HashSet<int>();
            var stackless = ResumableGreenlet.Spawn(new Yielder("s", 3, log, threads).Run);
            var threadBacked = Greenlet.Spawn(() => Woven.YieldTimes("t", 3, log));
            var stackless2 = ResumableGreenlet.Spawn(new Yielder("u", 3, log, threads).Run);
            var inbox = new GreenQueue<int>();
            var outbox = new GreenQueue<int>();
            var relay = ResumableGreenlet.Spawn([Resumable] () => Woven.Relay(inbox, outbox, 100));
            var feeder = Greenlet.Spawn(() =>
            {
                for (var i = 0; i < 100; i++)
                {
                    inbox.Put(i);
                }
            });

            var sum = 0;
            for (var i = 0; i < 100; i++)
            {
                sum += outbox.Get();
            }

            Greenlet.JoinAll([stackless, threadBacked, stackless2, relay, feeder]);
            Assert.Equal(["s 0", "t 0", "u 0", "s 1", "t 1", "u 1", "s 2", "t 2", "u 2"], log);
            Assert.Equal(Enumerable.Range(1, 100).Sum(), sum);
            Assert.Null(stackless.Exception);
            Assert.NotNull(stackless.Frames);
            Assert.Null(threadBacked.Frames);
            Assert.Null(Hub.Current.Pins.Describe());
        });
    }

    [Fact]
    public void ABodyWithoutTheResumableMarkRunsOnAThreadOfItsOwn()
    {
        HubTest.Run(() =>
        {
            var greenlet = ResumableGreenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(1)));

            Assert.True(greenlet.Join());
            Assert.Null(greenlet.Frames);
        });
    }

    /// <summary>A body as the weaver leaves a closure: the resumable method on an object holding the captures.</summary>
    private sealed class Yielder(string name, int times, List<string> log, HashSet<int> threads)
    {
        /// <summary>Transparent: it keeps nothing across the call and does nothing after it, so its caller's link goes on to the callee.</summary>
        [Resumable]
        public void Run()
        {
            // Runs again at each resume, on whichever carrier resumes the greenlet.
            threads.Add(Environment.CurrentManagedThreadId);
            Woven.YieldTimes(name, times, log);
        }
    }
}
