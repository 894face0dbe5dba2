using Gevent.Patches.Waits;

namespace Gevent.Tests.Patches.Waits;

/// <summary>
/// A greenlet killed while its semaphore wait is being granted must not keep the slot: the wait it abandons gives
/// the slot back, and a failure to do so reaches the hub's error handler instead of vanishing.
/// </summary>
public class SemaphoreSlimAbandonedWaitTests
{
    [Fact]
    public void AWaitGrantedAndKilledInOneTurn_GivesItsSlotBack()
    {
        var semaphore = new SemaphoreSlim(0, 2);
        var outcome = "";
        HubTest.Run(() =>
        {
            var errors = HubTest.CaptureErrors();
            var waiter = StartParkedWaiter(semaphore, result => outcome = result);

            semaphore.Release();
            waiter.Kill();

            Assert.Equal("killed", outcome);
            Assert.Equal(1, SpinUntilCount(semaphore, 1));
            Assert.Empty(errors);
        });
    }

    [Fact]
    public void ASlotThatCannotBeGivenBack_IsReportedToTheHub()
    {
        var semaphore = new SemaphoreSlim(0, 1);
        HubTest.Run(() =>
        {
            var errors = HubTest.CaptureErrors();
            var waiter = StartParkedWaiter(semaphore, _ => { });

            // The waiter is granted the one slot; the caller then releases to the maximum, so the slot the killed
            // waiter gives back overflows it: the caller's miscount, which the hub must hear of.
            semaphore.Release();
            waiter.Kill();
            Assert.Equal(0, semaphore.CurrentCount);
            semaphore.Release();

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (errors.Count == 0 && DateTime.UtcNow < deadline)
            {
                Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
            }

            var (greenlet, exception) = Assert.Single(errors);
            Assert.Null(greenlet);
            Assert.IsType<SemaphoreFullException>(exception);
        });
    }

    private static Greenlet StartParkedWaiter(SemaphoreSlim semaphore, Action<string> report)
    {
        var waiter = Greenlet.Spawn(() =>
        {
            try
            {
                report(SemaphoreSlimPatches.Wait(semaphore, Timeout.Infinite, CancellationToken.None) ? "acquired" : "timed out");
            }
            catch (GreenletExit)
            {
                report("killed");
                throw;
            }
        });
        Greenlet.Sleep(TimeSpan.FromMilliseconds(20));
        Assert.False(waiter.Dead);
        return waiter;
    }

    private static int SpinUntilCount(SemaphoreSlim semaphore, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (semaphore.CurrentCount != expected && DateTime.UtcNow < deadline)
        {
            Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
        }

        return semaphore.CurrentCount;
    }
}
