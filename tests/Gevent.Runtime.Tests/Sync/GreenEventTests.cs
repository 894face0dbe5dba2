namespace Gevent.Runtime.Tests.Sync;

public class GreenEventTests
{
    [Fact]
    public void Wait_ReturnsAtOnce_WhenSet() => HubTest.Run(() =>
    {
        var ev = new GreenEvent();
        ev.Set();
        Assert.True(ev.IsSet);
        Assert.True(ev.Wait());
        Assert.True(ev.Wait(TimeSpan.Zero));
    });

    [Fact]
    public void Wait_ReturnsFalse_OnTimeout() => HubTest.Run(() =>
    {
        var ev = new GreenEvent();
        Assert.False(ev.Wait(TimeSpan.FromMilliseconds(5)));
        Assert.False(ev.Wait(TimeSpan.Zero));
    });

    [Fact]
    public void Set_WakesWaitersInFifoOrder() => HubTest.Run(() =>
    {
        var ev = new GreenEvent();
        var order = new List<int>();
        var waiters = Enumerable.Range(0, 5).Select(i => Greenlet.Spawn(() =>
        {
            Assert.True(ev.Wait());
            order.Add(i);
        })).ToList();
        Greenlet.Yield();
        Assert.Empty(order);

        ev.Set();
        Greenlet.JoinAll(waiters);
        Assert.Equal([0, 1, 2, 3, 4], order);
    });

    [Fact]
    public void SetThenClear_WakesEveryOneOfAThousandWaiters() => HubTest.Run(() =>
    {
        var ev = new GreenEvent();
        var waiters = Enumerable.Range(0, 1000).Select(_ => Greenlet.Spawn(() => ev.Wait())).ToList();
        Greenlet.Yield();

        ev.Set();
        ev.Clear();
        Assert.False(ev.IsSet);

        Assert.Equal(1000, Greenlet.JoinAll(waiters, TimeSpan.FromSeconds(30)).Count);
        Assert.All(waiters, w => Assert.True(w.Get()));
    });

    [Fact]
    public void TimedOutWaiter_LeavesTheList_AndOthersStillWake() => HubTest.Run(() =>
    {
        var ev = new GreenEvent();
        var early = Greenlet.Spawn(() => ev.Wait(TimeSpan.FromMilliseconds(1)));
        var patient = Greenlet.Spawn(() => ev.Wait());
        Assert.False(early.Get());

        ev.Set();
        Assert.True(patient.Get());
    });

    [Fact]
    public void BadInput_AndForeignThreads_AreRefused() => HubTest.Run(() =>
    {
        var ev = new GreenEvent();
        Assert.Throws<ArgumentOutOfRangeException>(() => ev.Wait(TimeSpan.FromSeconds(-2)));

        Exception? foreign = null;
        var thread = new Thread(() => foreign = Record.Exception(ev.Set));
        thread.Start();
        thread.Join();
        Assert.IsType<InvalidOperationException>(foreign);
        Assert.False(ev.IsSet);
    });
}
