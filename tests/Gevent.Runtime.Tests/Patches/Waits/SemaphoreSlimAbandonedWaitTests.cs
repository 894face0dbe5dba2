using Gevent.Patches;


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

            // The waiter is granted the one slot, the caller releases once more (to the maximum) and kills the waiter
            // in the same turn: the slot it gives back overflows the semaphore, a miscount the hub must hear of.
            semaphore.Release();
            semaphore.Release();
            waiter.Kill();

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
        var waiting = false;
        var waiter = Greenlet.Spawn(() =>
        {
            try
            {
                // Nothing switches between here and the park inside Wait: once this greenlet lets the test's run
                // again, it is parked on the semaphore.
                waiting = true;
                report(SemaphoreSlimPatches.Wait(semaphore, Timeout.Infinite, CancellationToken.None) ? "acquired" : "timed out");
            }
            catch (GreenletExit)
            {
                report("killed");
                throw;
            }
        });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!waiting && DateTime.UtcNow < deadline)
        {
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
        }

        Assert.True(waiting, "the waiter never started");
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
