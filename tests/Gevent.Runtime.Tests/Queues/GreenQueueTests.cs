namespace Gevent.Runtime.Tests.Queues;

public class GreenQueueTests
{
    [Fact]
    public void Put_BlocksWhileFull_UntilAGetMakesRoom() => HubTest.Run(() =>
    {
        var queue = new GreenQueue<int>(maxSize: 1);
        queue.Put(1);
        Assert.True(queue.IsFull);
        var putter = Greenlet.Spawn(() => queue.Put(2));
        Greenlet.Yield();
        Assert.False(putter.Dead);
        Assert.Equal(1, queue.Count);

        Assert.Equal(1, queue.Get());
        Assert.Equal(1, queue.Count);
        Assert.True(putter.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, queue.Get());
    });

    [Fact]
    public void TimeoutsAndNonBlockingCalls_ThrowOrReturnFalse() => HubTest.Run(() =>
    {
        var queue = new GreenQueue<string>(maxSize: 1);
        Assert.False(queue.TryGet(out _));
        Assert.False(queue.TryPeek(out _));
        Assert.Throws<QueueEmptyException>(() => queue.Get(TimeSpan.Zero));
        Assert.Throws<QueueEmptyException>(() => queue.Get(TimeSpan.FromMilliseconds(2)));
        Assert.Throws<QueueEmptyException>(() => queue.Peek(TimeSpan.FromMilliseconds(2)));

        Assert.True(queue.TryPut("a"));
        Assert.False(queue.TryPut("b"));
        Assert.Throws<QueueFullException>(() => queue.Put("b", TimeSpan.Zero));
        Assert.Throws<QueueFullException>(() => queue.Put("b", TimeSpan.FromMilliseconds(2)));
        Assert.Equal("a", queue.Peek());
        Assert.True(queue.TryGet(out var item));
        Assert.Equal("a", item);
    });

    [Fact]
    public void EachPut_WakesOneGetter_InFifoOrder() => HubTest.Run(() =>
    {
        var queue = new GreenQueue<string>();
        var received = new List<string>();
        var getters = Enumerable.Range(0, 3).Select(i => Greenlet.Spawn(() => received.Add($"{i}:{queue.Get()}"))).ToList();
        Greenlet.Yield();

        queue.Put("a");
        Greenlet.Yield();
        Assert.Equal(["0:a"], received);
        Assert.False(getters[1].Dead);

        queue.Put("b");
        queue.Put("c");
        Greenlet.JoinAll(getters);
        Assert.Equal(["0:a", "1:b", "2:c"], received);
        Assert.Equal(0, queue.Count);
    });

    [Fact]
    public void GettersThatTimedOutOrDied_LeaveTheList_AndTheItemGoesToALiveOne() => HubTest.Run(() =>
    {
        var queue = new GreenQueue<int>();
        var killed = Greenlet.Spawn(() => queue.Get());
        var timedOut = Greenlet.Spawn(() => queue.Get(TimeSpan.FromMilliseconds(1)));
        var live = Greenlet.Spawn(() => queue.Get());
        Greenlet.Yield();

        killed.Kill();
        timedOut.Join();
        Assert.IsType<QueueEmptyException>(timedOut.Exception);

        queue.Put(7);
        Assert.Equal(7, live.Get(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, queue.Count);
    });

    [Fact]
    public void AnItemPutBeforeAKilledGetterHasLeft_GoesToTheNextLiveGetter() => HubTest.Run(() =>
    {
        var queue = new GreenQueue<int>();
        var dying = Greenlet.Spawn(() => queue.Get());
        var live = Greenlet.Spawn(() => queue.Get());
        Greenlet.Yield();

        // The kill is on its way but the dying getter has not run yet: it is still first in the list.
        dying.Kill(block: false);
        queue.Put(7);

        Assert.Equal(7, live.Get(TimeSpan.FromSeconds(10)));
        Assert.True(dying.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, queue.Count);
    });

    [Fact]
    public void AGetterKilledWhileWaiting_TakesNoItem() => HubTest.Run(() =>
    {
        var queue = new GreenQueue<int>();
        var getter = Greenlet.Spawn(() => queue.Get());
        Greenlet.Yield();
        getter.Kill();

        queue.Put(1);
        Assert.Equal(1, queue.Count);
        Assert.Equal(1, queue.Get());
    });

    [Fact]
    public void Shutdown_FailsPutsAtOnce_AndGetsOnceDrained() => HubTest.Run(() =>
    {
        var queue = new GreenQueue<int>(maxSize: 1);
        queue.Put(1);
        var blockedPutter = Greenlet.Spawn(() => queue.Put(2));
        Greenlet.Yield();

        queue.Shutdown();
        blockedPutter.Join();
        Assert.IsType<QueueShutDownException>(blockedPutter.Exception);
        Assert.Throws<QueueShutDownException>(() => queue.Put(3));
        Assert.Equal(1, queue.Get());
        Assert.Throws<QueueShutDownException>(() => queue.Get());
        Assert.Throws<QueueShutDownException>(() => queue.TryGet(out _));
    });

    [Fact]
    public void ShutdownImmediate_DiscardsItems_AndWakesGettersAndJoiners() => HubTest.Run(() =>
    {
        var queue = new GreenQueue<int>();
        var getter = Greenlet.Spawn(() => queue.Get());
        Greenlet.Yield();
        queue.Shutdown(immediate: true);
        getter.Join();
        Assert.IsType<QueueShutDownException>(getter.Exception);

        var full = new GreenQueue<int>();
        full.Put(1);
        full.Put(2);
        var joiner = Greenlet.Spawn(() => full.Join());
        Greenlet.Yield();
        full.Shutdown(immediate: true);
        Assert.True(joiner.Get(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, full.Count);
        Assert.Equal(0, full.UnfinishedTasks);
        Assert.Throws<QueueShutDownException>(() => full.Get());
    });

    [Fact]
    public void Join_WaitsForEveryTaskDone() => HubTest.Run(() =>
    {
        var queue = new GreenQueue<int>();
        queue.Put(1);
        queue.Put(2);
        Assert.False(queue.Join(TimeSpan.FromMilliseconds(2)));

        var processed = new List<int>();
        var worker = Greenlet.Spawn(() =>
        {
            foreach (var item in queue)
            {
                processed.Add(item);
                queue.TaskDone();
            }
        });
        Assert.True(queue.Join());
        Assert.Equal([1, 2], processed);
        Assert.Throws<InvalidOperationException>(queue.TaskDone);

        queue.Shutdown();
        Assert.True(worker.Join(TimeSpan.FromSeconds(10)));
        Assert.True(worker.Successful);
    });

    [Fact]
    public void Peek_WaitsForAnItem_WithoutTakingIt() => HubTest.Run(() =>
    {
        var queue = new GreenQueue<int>();
        var peeker = Greenlet.Spawn(() => queue.Peek());
        Greenlet.Yield();
        queue.Put(5);
        Assert.Equal(5, peeker.Get());
        Assert.Equal(1, queue.Count);
    });

    [Fact]
    public void LifoAndPriorityQueues_ReturnItemsInTheirOrder() => HubTest.Run(() =>
    {
        var lifo = new GreenLifoQueue<int>();
        var priority = new GreenPriorityQueue<(int Priority, string Job), int>(item => item.Priority);
        foreach (var i in new[] { 3, 1, 2 })
        {
            lifo.Put(i);
            priority.Put((i, $"job{i}"));
        }

        Assert.Equal([2, 1, 3], [lifo.Get(), lifo.Get(), lifo.Get()]);
        Assert.Equal(["job1", "job2", "job3"], [priority.Get().Job, priority.Get().Job, priority.Get().Job]);
    });

    [Fact]
    public void BadInput_IsRefused() => HubTest.Run(() =>
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GreenQueue<int>(-1));
        var queue = new GreenQueue<int>();
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Get(TimeSpan.FromMilliseconds(-3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Put(1, TimeSpan.FromMilliseconds(-3)));
        Assert.Throws<ArgumentNullException>(() => new GreenPriorityQueue<int, int>(null!));
    });
}
