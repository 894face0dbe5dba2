using System.Diagnostics;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Waits;

/// <summary>
/// A thread-backed greenlet parked in <see cref="SemaphoreSlim.Wait(int, CancellationToken)"/> or
/// <see cref="ManualResetEventSlim.Wait(int, CancellationToken)"/> with no timeout is woken by its token's cancellation
/// soon, and throws as the original does; the woven (stackless) waits have the same test in the weaver's tests.
/// </summary>
public class SlimWaitCancellationTests
{
    /// <summary>Wide: a wake takes milliseconds; only a wait the cancellation does not wake (it has no timeout) lasts longer.</summary>
    private static readonly TimeSpan s_wakeBound = TimeSpan.FromSeconds(5);

    public static TheoryData<string> Waits => [nameof(SemaphoreSlim), nameof(ManualResetEventSlim)];

    [Theory]
    [MemberData(nameof(Waits))]
    public void ACancelledTokenSoonEndsAParkedSlimWait(string primitive)
    {
        var parked = false;
        var woke = TimeSpan.MaxValue;
        object? outcome = null;
        HubTest.Run(() =>
        {
            using var semaphore = new SemaphoreSlim(0);
            using var @event = new ManualResetEventSlim();
            using var cancellation = new CancellationTokenSource();
            var waiter = Greenlet.Spawn(() => primitive == nameof(SemaphoreSlim)
                ? SemaphoreSlimPatches.Wait(semaphore, Timeout.Infinite, cancellation.Token)
                : ManualResetEventSlimPatches.Wait(@event, Timeout.Infinite, cancellation.Token));
            Greenlet.Yield();
            parked = waiter.State == GreenletState.Parked;
            var sinceCancel = Stopwatch.StartNew();
            cancellation.Cancel();
            if (waiter.Join(TimeSpan.FromSeconds(20)))
            {
                woke = sinceCancel.Elapsed;
            }

            outcome = waiter.Successful ? waiter.Value : waiter.Exception?.GetType().Name;
        });

        Assert.True(parked, "the waiter was not parked before the cancellation");
        Assert.Equal(nameof(OperationCanceledException), outcome);
        Assert.True(woke < s_wakeBound, $"the cancelled wait ended after {woke}");
    }
}
