using System.Diagnostics;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Locks;

public class LockPatchesTests
{
    [Fact]
    public void OutsideAGreenletTheOriginalsRun()
    {
        var aLock = new Lock();
        var scope = LockPatches.EnterScope(aLock);
        Assert.True(aLock.IsHeldByCurrentThread);
        LockPatches.Dispose(ref scope);
        Assert.False(aLock.IsHeldByCurrentThread);
        LockPatches.Enter(aLock);
        LockPatches.Exit(aLock);
        Assert.False(aLock.IsHeldByCurrentThread);
        Assert.Throws<NullReferenceException>(() => LockPatches.Enter(null!));
        Assert.Throws<SynchronizationLockException>(() => LockPatches.Exit(aLock));
    }

    [Fact]
    public void ANullLockFailsInAGreenletAsTheOriginalCallWould()
    {
        HubTest.Run(() =>
        {
            Assert.Throws<NullReferenceException>(() => LockPatches.Enter(null!));
            Assert.Throws<NullReferenceException>(() => LockPatches.EnterScope(null!));
            Assert.Throws<ArgumentOutOfRangeException>(() => LockPatches.TryEnter(new Lock(), -2));
        });
    }

    [Fact]
    public void ALockStatementHeldAcrossASwitchMakesTheContenderParkAndTheScopeReleasesIt()
    {
        HubTest.Run(() =>
        {
            var aLock = new Lock();
            var order = new List<string>();
            var holder = Greenlet.Spawn(() =>
            {
                var scope = LockPatches.EnterScope(aLock);
                try
                {
                    order.Add("holder in");
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(30));
                    order.Add("holder out");
                }
                finally
                {
                    LockPatches.Dispose(ref scope);
                }
            });
            var contender = Greenlet.Spawn(() =>
            {
                var scope = LockPatches.EnterScope(aLock);
                try
                {
                    Assert.True(aLock.IsHeldByCurrentThread);
                    order.Add("contender in");
                }
                finally
                {
                    LockPatches.Dispose(ref scope);
                }

                Assert.False(aLock.IsHeldByCurrentThread);
            });
            Assert.Equal(2, Greenlet.JoinAll([holder, contender], TimeSpan.FromSeconds(20)).Count);
            contender.Get();
            Assert.Equal(["holder in", "holder out", "contender in"], order);
        });
    }

    [Fact]
    public void TryEnterTimesOutWhileAnotherGreenletHoldsTheLock()
    {
        HubTest.Run(() =>
        {
            var aLock = new Lock();
            var release = new GreenEvent();
            var holder = Greenlet.Spawn(() =>
            {
                LockPatches.Enter(aLock);
                release.Wait();
                LockPatches.Exit(aLock);
            });
            Greenlet.Yield();
            // Held until released, not for a fixed time: on a loaded machine a 20 ms try can outlast any fixed hold.
            var stopwatch = Stopwatch.StartNew();
            Assert.False(LockPatches.TryEnter(aLock, 20));
            Assert.False(LockPatches.TryEnter(aLock, TimeSpan.FromMilliseconds(20)));
            // At least the second try's 20 ms: a timer counts from the loop's last poll, which can be older than the first
            // try's start on a busy machine, but the second counts from the poll that woke the first, which came after it.
            Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(10));
            release.Set();
            Assert.True(LockPatches.TryEnter(aLock, TimeSpan.FromSeconds(20)));
            LockPatches.Exit(aLock);
            holder.Join();
        });
    }
}
