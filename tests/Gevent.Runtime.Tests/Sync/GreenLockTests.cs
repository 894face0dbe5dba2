namespace Gevent.Runtime.Tests.Sync;

public class GreenLockTests
{
    [Fact]
    public void Owner_CanReenter_AndMustReleaseAsOften() => HubTest.Run(() =>
    {
        var gate = new GreenLock();
        Assert.True(gate.Acquire());
        Assert.True(gate.Acquire());
        Assert.True(gate.IsHeldByCurrentGreenlet);
        gate.Release();
        Assert.True(gate.Locked);
        gate.Release();
        Assert.False(gate.Locked);
    });

    [Fact]
    public void OtherGreenlets_WaitForTheOwner_InFifoOrder() => HubTest.Run(() =>
    {
        var gate = new GreenLock();
        var events = new List<string>();
        var inside = 0;
        var workers = Enumerable.Range(0, 3).Select(i => Greenlet.Spawn(() =>
        {
            using (gate.Lock())
            {
                inside++;
                Assert.Equal(1, inside);
                events.Add($"in {i}");
                Greenlet.Yield();
                events.Add($"out {i}");
                inside--;
            }
        })).ToList();

        Greenlet.JoinAll(workers);
        Assert.Equal(["in 0", "out 0", "in 1", "out 1", "in 2", "out 2"], events);
    });

    [Fact]
    public void Acquire_TimesOut_WhileAnotherHoldsIt() => HubTest.Run(() =>
    {
        var gate = new GreenLock();
        gate.Acquire();
        var other = Greenlet.Spawn(() => gate.Acquire(TimeSpan.FromMilliseconds(2)));
        Assert.False(other.Get());
        Assert.True(gate.IsHeldByCurrentGreenlet);
    });

    [Fact]
    public void ReleaseByNonOwner_OrWhenUnlocked_Throws() => HubTest.Run(() =>
    {
        var gate = new GreenLock();
        Assert.Throws<SynchronizationLockException>(gate.Release);

        gate.Acquire();
        var intruder = Greenlet.Spawn(gate.Release);
        intruder.Join();
        Assert.IsType<SynchronizationLockException>(intruder.Exception);
        Assert.True(gate.IsHeldByCurrentGreenlet);
    });

    [Fact]
    public void AKilledWaiter_DoesNotGetTheLock() => HubTest.Run(() =>
    {
        var gate = new GreenLock();
        gate.Acquire();
        var killed = Greenlet.Spawn(() => gate.Acquire());
        var live = Greenlet.Spawn(() =>
        {
            gate.Acquire();
            return gate.IsHeldByCurrentGreenlet;
        });
        Greenlet.Yield();

        killed.Kill();
        gate.Release();
        Assert.True(live.Get());
        Assert.False(gate.IsHeldByCurrentGreenlet);
    });
}
