using System.Diagnostics;
using Xunit.Abstractions;

namespace Gevent.Tests.Hubs;

/// <summary>
/// Work posted to a <see cref="HubGroup"/> from other threads while the group is disposed either runs exactly once or
/// is refused to its poster with <see cref="ObjectDisposedException"/>: none is lost.
/// </summary>
public class HubGroupDisposalTests(ITestOutputHelper output)
{
    private const int Rounds = 10;
    private const int Posters = 4;

    [Fact]
    public void AGreenletSpawnedByWorkAcceptedAfterTheDisposalWasAsked_ButBeforeItBegan_Runs() => HubTest.OnPlainThread(() =>
    {
        var group = HubGroup.Start(1);
        var hub = group.Hubs[0];
        var holding = 0;
        var release = 0;

        // Holds the hub without a switch, so that the disposal's wake-up and the work below queue up behind it, in that order.
        _ = group.SpawnAsync(0, () =>
        {
            Volatile.Write(ref holding, 1);
            var clock = Stopwatch.StartNew();
            while (Volatile.Read(ref release) == 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                // Never yields.
            }
        });
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref holding) == 1, TimeSpan.FromSeconds(30)), "the holder never ran");

        var disposer = new Thread(group.Dispose);
        disposer.Start();

        // The disposer blocks only once it has asked the hub to end: joining the hub's thread.
        Assert.True(
            SpinWait.SpinUntil(() => (disposer.ThreadState & System.Threading.ThreadState.WaitSleepJoin) != 0, TimeSpan.FromSeconds(30)),
            "the disposer never waited for the hub");
        var ran = 0;
        hub.Loop.RunCallbackThreadSafe(() => Greenlet.Spawn(() => Interlocked.Increment(ref ran)));
        Volatile.Write(ref release, 1);

        Assert.True(disposer.Join(TimeSpan.FromSeconds(30)), "the disposal did not end");
        Assert.True(hub.IsDisposed);
        Assert.Equal(1, Volatile.Read(ref ran));
    });

    [Fact]
    public void PostsFromManyThreadsRacingTheDisposal_RunExactlyOnceOrAreRefused_NoneLost() => HubTest.OnPlainThread(() =>
    {
        var totals = new Tally();
        for (var round = 0; round < Rounds; round++)
        {
            var group = HubGroup.Start(2);
            var posters = Enumerable.Range(0, Posters).Select(i => new Poster(group, i)).ToArray();
            foreach (var poster in posters)
            {
                poster.Start();
            }

            // Disposes while every poster is in full flow, at a point that moves from round to round.
            Assert.True(SpinWait.SpinUntil(() => posters.All(p => p.Posts >= 50 + 20 * round), TimeSpan.FromSeconds(30)), "the posters never got going");
            group.Dispose();

            foreach (var poster in posters)
            {
                totals.Add(poster.Finish());
            }
        }

        output.WriteLine(totals.ToString());
        Assert.True(totals.Lost == 0 && totals.RanTwice == 0, totals.ToString());
        Assert.Equal(Rounds * Posters * 2, totals.RefusedAtTheCall);
    }, timeoutSeconds: 180);

    /// <summary>How the posts of a test ended.</summary>
    private sealed class Tally
    {
        public int Ran { get; private set; }

        public int RefusedAtTheCall { get; private set; }

        public int RefusedByTheTask { get; private set; }

        /// <summary>Of those that ran, how many a callback run by a disposing hub handed to the thread pool.</summary>
        public int HandedElsewhere { get; set; }

        public int Lost { get; private set; }

        public int RanTwice { get; private set; }

        /// <summary>The first failure other than a refusal, if a post was lost to one.</summary>
        public Exception? FirstFailure { get; private set; }

        public void Add(Tally other)
        {
            Ran += other.Ran;
            RefusedAtTheCall += other.RefusedAtTheCall;
            RefusedByTheTask += other.RefusedByTheTask;
            Lost += other.Lost;
            RanTwice += other.RanTwice;
            HandedElsewhere += other.HandedElsewhere;
            FirstFailure ??= other.FirstFailure;
        }

        public void CountRun(int runs)
        {
            if (runs == 1)
            {
                Ran++;
            }
            else if (runs == 0)
            {
                Lost++;
            }
            else
            {
                RanTwice++;
            }
        }

        public void CountRefusedAtTheCall() => RefusedAtTheCall++;

        public void CountRefusedByTheTask(int runs)
        {
            RefusedByTheTask++;
            if (runs != 0)
            {
                RanTwice++;
            }
        }

        public void CountLost(Exception? failure)
        {
            Lost++;
            FirstFailure ??= failure;
        }

        public override string ToString() =>
            $"{Ran} ran once ({HandedElsewhere} of them handed elsewhere), {RefusedAtTheCall} refused at the call, {RefusedByTheTask} refused by their task, {Lost} lost, {RanTwice} ran more than once or after a refusal" +
            (FirstFailure is null ? "" : $"; first failure: {FirstFailure}");
    }

    /// <summary>
    /// A thread posting to both hubs in turn until each has refused it once, rotating three kinds of post: a greenlet
    /// (<see cref="HubGroup.SpawnAsync{T}(int, Func{T})"/>), a loop callback doing the work, and a loop callback handing
    /// the work to a greenlet it spawns, or to the thread pool once the hub is no longer open (ASP.NET Core's request
    /// hubs post so). Each post counts its runs in a slot of its own.
    /// </summary>
    private sealed class Poster(HubGroup group, int index)
    {
        private const int MostPosts = 200_000;

        private readonly int[] _runs = new int[MostPosts];
        private readonly List<(int Slot, Task<int>? Task)> _posts = [];
        private readonly bool[] _refused = new bool[2];
        private readonly Tally _tally = new();
        private Thread? _thread;
        private int _count;
        private int _handedOff;
        private int _handedOffRan;

        public int Posts => Volatile.Read(ref _count);

        public void Start()
        {
            _thread = new Thread(Run) { IsBackground = true, Name = $"poster {index}" };
            _thread.Start();
        }

        /// <summary>Waits for the thread, for every task it got and for work handed to the thread pool, then tells how each post ended.</summary>
        public Tally Finish()
        {
            Assert.True(_thread!.Join(TimeSpan.FromSeconds(30)), $"poster {index} hung");

            // A loop callback accepted ran before its hub's disposal returned, but what it handed to the thread pool may still be on its way.
            Assert.True(
                SpinWait.SpinUntil(() => Volatile.Read(ref _handedOffRan) == Volatile.Read(ref _handedOff), TimeSpan.FromSeconds(30)),
                "work handed to the thread pool never ran");

            foreach (var (slot, task) in _posts)
            {
                if (task is null)
                {
                    _tally.CountRun(Volatile.Read(ref _runs[slot]));
                    continue;
                }

                Assert.True(((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), "a task never completed");
                if (task.IsFaulted && task.Exception!.InnerException is ObjectDisposedException)
                {
                    _tally.CountRefusedByTheTask(Volatile.Read(ref _runs[slot]));
                }
                else if (task.Status == TaskStatus.RanToCompletion && task.Result == slot + 1)
                {
                    _tally.CountRun(Volatile.Read(ref _runs[slot]));
                }
                else
                {
                    // Completed with a value nobody computed (its greenlet killed before it ran), or failed otherwise.
                    _tally.CountLost(task.Exception?.InnerException);
                }
            }

            _tally.HandedElsewhere = _handedOff;
            return _tally;
        }

        private void Run()
        {
            var runs = _runs;
            for (var slot = 0; slot < MostPosts && !(_refused[0] && _refused[1]); slot++)
            {
                var turn = slot / 3 % 2;
                var hubIndex = _refused[turn] ? 1 - turn : turn;
                var hub = group.Hubs[hubIndex];
                var post = slot;
                try
                {
                    switch (slot % 3)
                    {
                        case 0:
                            var task = group.SpawnAsync(hubIndex, () => Interlocked.Increment(ref runs[post]) + post);
                            _posts.Add((slot, task));

                            // Now and then waits for one, so that at most a few hundred greenlets wait to start at once.
                            if (slot % 384 == 0)
                            {
                                ((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30));
                            }

                            break;
                        case 1:
                            hub.Loop.RunCallbackThreadSafe(() => Interlocked.Increment(ref runs[post]));
                            _posts.Add((slot, null));
                            break;
                        default:
                            hub.Loop.RunCallbackThreadSafe(() =>
                            {
                                if (hub.IsOpen)
                                {
                                    Greenlet.Spawn(() => Interlocked.Increment(ref runs[post]));
                                }
                                else
                                {
                                    Interlocked.Increment(ref _handedOff);
                                    ThreadPool.QueueUserWorkItem(_ =>
                                    {
                                        Interlocked.Increment(ref runs[post]);
                                        Interlocked.Increment(ref _handedOffRan);
                                    });
                                }
                            });
                            _posts.Add((slot, null));
                            break;
                    }
                }
                catch (ObjectDisposedException)
                {
                    _refused[hubIndex] = true;
                    _tally.CountRefusedAtTheCall();
                }

                Interlocked.Increment(ref _count);
            }
        }
    }
}
