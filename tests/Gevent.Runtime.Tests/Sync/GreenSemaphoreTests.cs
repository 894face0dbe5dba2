namespace Gevent.Runtime.Tests.Sync;

public class GreenSemaphoreTests
{
    [Fact]
    public void Acquire_TakesPermits_ThenTimesOut() => HubTest.Run(() =>
    {
        var semaphore = new GreenSemaphore(2);
        Assert.True(semaphore.Acquire());
        Assert.True(semaphore.Acquire(TimeSpan.Zero));
        Assert.True(semaphore.Locked);
        Assert.False(semaphore.Acquire(TimeSpan.Zero));
        Assert.False(semaphore.Acquire(TimeSpan.FromMilliseconds(2)));
        semaphore.Release();
        Assert.Equal(1, semaphore.Count);
    });

    [Fact]
    public void Release_WakesWaitersInFifoOrder() => HubTest.Run(() =>
    {
        var semaphore = new GreenSemaphore(0);
        var order = new List<int>();
        var waiters = Enumerable.Range(0, 4).Select(i => Greenlet.Spawn(() =>
        {
            semaphore.Acquire();
            order.Add(i);
        })).ToList();
        Greenlet.Yield();

        for (var i = 0; i < 4; i++)
        {
            semaphore.Release();
        }

        Greenlet.JoinAll(waiters);
        Assert.Equal([0, 1, 2, 3], order);
        Assert.Equal(0, semaphore.Count);
    });

    [Fact]
    public void APermitReleasedBeforeTheWaiterRuns_CannotBeTakenByAnother() => HubTest.Run(() =>
    {
        var semaphore = new GreenSemaphore(0);
        var waiter = Greenlet.Spawn(() => semaphore.Acquire());
        Greenlet.Yield();

        semaphore.Release();
        Assert.False(semaphore.Acquire(TimeSpan.Zero));
        Assert.True(waiter.Get());
    });

    [Fact]
    public void KilledAndTimedOutWaiters_LeaveTheList_AndThePermitGoesToALiveOne() => HubTest.Run(() =>
    {
        var semaphore = new GreenSemaphore(0);
        var killed = Greenlet.Spawn(() => semaphore.Acquire());
        var timedOut = Greenlet.Spawn(() => semaphore.Acquire(TimeSpan.FromMilliseconds(1)));
        var live = Greenlet.Spawn(() => semaphore.Acquire());
        Greenlet.Yield();

        killed.Kill();
        Assert.False(timedOut.Get());
        semaphore.Release();

        Assert.True(live.Get());
        Assert.Equal(0, semaphore.Count);
    });

    [Fact]
    public void Lock_ReleasesAtTheEndOfTheScope() => HubTest.Run(() =>
    {
        var semaphore = new GreenSemaphore(1);
        using (semaphore.Lock())
        {
            Assert.Equal(0, semaphore.Count);
        }

        Assert.Equal(1, semaphore.Count);
    });

    [Fact]
    public void BoundedSemaphore_RefusesOverRelease() => HubTest.Run(() =>
    {
        var semaphore = new GreenBoundedSemaphore(1);
        semaphore.Acquire();
        semaphore.Release();
        Assert.Throws<SemaphoreFullException>(semaphore.Release);
        Assert.Equal(1, semaphore.Count);
    });

    [Fact]
    public void BadInput_IsRefused() => HubTest.Run(() =>
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GreenSemaphore(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GreenSemaphore().Acquire(TimeSpan.FromMilliseconds(-5)));
    });
}
