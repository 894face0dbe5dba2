namespace Gevent.Tests.Hubs;

public class CrossHubQueueTests
{
    [Fact]
    public void UnderContentionFromEveryHubAndPlainThreads_EachItemArrivesOnce() => HubTest.OnPlainThread(() =>
    {
        using var group = HubGroup.Start(2);
        var queue = new CrossHubQueue<int>();
        const int producersPerSide = 4;
        const int itemsEach = 500;
        var producerCount = (group.Count + 1) * producersPerSide;
        var total = producerCount * itemsEach;
        var received = new int[total];

        // Consumers on every hub and on plain threads; each takes until it sees a stop marker (-1).
        void Consume()
        {
            int item;
            while ((item = queue.Get(TimeSpan.FromSeconds(30))) >= 0)
            {
                Interlocked.Increment(ref received[item]);
            }
        }

        var consumers = Enumerable.Range(0, group.Count)
            .Select(i => group.SpawnAsync(i, () =>
            {
                var greenlets = Enumerable.Range(0, 3).Select(_ => Greenlet.Spawn(Consume)).ToList();
                Greenlet.JoinAll(greenlets, throwOnError: true);
            }))
            .Concat(Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(Consume, TaskCreationOptions.LongRunning)))
            .ToList();
        var consumerCount = group.Count * 3 + 2;

        void Produce(int producer)
        {
            for (var i = 0; i < itemsEach; i++)
            {
                queue.Put(producer * itemsEach + i);
                if (i % 50 == 0 && Hub.CurrentGreenletOrNull is not null)
                {
                    Greenlet.Yield();
                }
            }
        }

        var producers = new List<Task>();
        for (var p = 0; p < producerCount; p++)
        {
            var producer = p;
            var side = p % (group.Count + 1);
            producers.Add(side < group.Count
                ? group.SpawnAsync(side, () => Produce(producer))
                : Task.Factory.StartNew(() => Produce(producer), TaskCreationOptions.LongRunning));
        }

        Assert.True(Task.WaitAll([.. producers], TimeSpan.FromSeconds(60)));
        for (var i = 0; i < consumerCount; i++)
        {
            queue.Put(-1);
        }

        Assert.True(Task.WaitAll([.. consumers], TimeSpan.FromSeconds(60)));
        Assert.All(received, count => Assert.Equal(1, count));
        Assert.Equal(0, queue.Count);
    });

    [Fact]
    public void AGreenletTakingFromAnotherHubsPuts_DoesNotBlockItsHub() => HubTest.Run(() =>
    {
        using var group = HubGroup.Start(1);
        var queue = new CrossHubQueue<string>();
        using var ticker = new Ticker();

        _ = group.SpawnAsync(0, () =>
        {
            ticker.SleepWhileTicking(TimeSpan.FromMilliseconds(200));
            queue.Put("from hub " + Hub.Current.Id);
        });

        Assert.Equal("from hub " + group.Hubs[0].Id, queue.Get(TimeSpan.FromSeconds(30)));
        ticker.AssertKeptRunning("while taking from a CrossHubQueue");
    });

    [Fact]
    public void AGreenletAloneOnItsHub_WaitsForAPutFromElsewhere_NotALoopExit() => HubTest.Run(() =>
    {
        // Nothing else on this hub could end the wait (no timer, no other greenlet): only the thread's put.
        var queue = new CrossHubQueue<string>();
        var done = new CrossHubEvent();
        var me = Greenlet.Current;

        // The thread puts only once the greenlet is parked, else the wait under test would never happen (asserted
        // here, not on the thread, where a failed assertion would end the test process).
        bool ParkedOn(string waitingOn) => SpinWait.SpinUntil(() => me.WaitingOn == waitingOn, TimeSpan.FromSeconds(30));
        var parkedOnGet = false;
        var parkedOnEvent = false;
        var putter = new Thread(() =>
        {
            parkedOnGet = ParkedOn("CrossHubQueue.Get()");
            queue.Put("from a thread");
            parkedOnEvent = ParkedOn("CrossHubEvent.Wait()");
            done.Set();
        });
        putter.Start();

        Assert.Equal("from a thread", queue.Get());
        Assert.True(done.Wait());
        putter.Join();
        Assert.True(parkedOnGet, "the greenlet never parked on the queue");
        Assert.True(parkedOnEvent, "the greenlet never parked on the event");
    });

    [Fact]
    public void AnEmptyQueue_TimesOutWithAClearError_OrFalse() => HubTest.Run(() =>
    {
        var queue = new CrossHubQueue<int>();
        var thrown = Assert.Throws<QueueEmptyException>(() => queue.Get(TimeSpan.FromMilliseconds(20)));
        Assert.Contains("empty", thrown.Message);
        Assert.False(queue.TryGet(TimeSpan.Zero, out _));
        Assert.False(Task.Run(() => queue.TryGet(TimeSpan.FromMilliseconds(20), out _)).Result);
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Get(TimeSpan.FromSeconds(-2)));
    });

    [Fact]
    public void AKilledTaker_LeavesItemsToTheNextOne_InOrder() => HubTest.Run(() =>
    {
        var queue = new CrossHubQueue<int>();
        var killed = Greenlet.Spawn(() => queue.Get());
        var next = Greenlet.Spawn(() => queue.Get());
        Greenlet.Yield();
        killed.Kill();

        queue.Put(1);
        queue.Put(2);
        Assert.Equal(1, next.Get(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, queue.Count);
        Assert.Equal(2, queue.Get(TimeSpan.Zero));
    });

    [Fact]
    public void ATakerKilledAfterAnItemReachedIt_GivesTheItemBackFirstInLine() => HubTest.Run(() =>
    {
        var queue = new CrossHubQueue<int>();
        var taker = Greenlet.Spawn(() => queue.Get());
        Greenlet.Yield();

        // The put hands 1 to the parked taker and posts its wake-up; the kill reaches it first.
        queue.Put(1);
        taker.Kill();
        queue.Put(2);

        Assert.True(taker.Dead);
        Assert.Equal(2, queue.Count);
        Assert.Equal(1, queue.Get(TimeSpan.Zero));
        Assert.Equal(2, queue.Get(TimeSpan.Zero));
    });
}
