using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="SemaphoreSlim.Wait()"/>: in a greenlet, take a free slot at
/// once, else park on <see cref="SemaphoreSlim.WaitAsync(int, CancellationToken)"/>. An interrupted wait
/// (kill, timeout) cancels its async waiter and gives back a slot it took in the meantime.
/// <para>
/// Every overload is resumable (<see cref="FrameStack"/>): a stackless greenlet whose woven caller linked to the wait
/// suspends without a thread between its own tries of <c>Wait(0, token)</c> (<see cref="StacklessHandleWait"/>), so a
/// slot is taken exactly once, by the wait that returns it.
/// </para>
/// </summary>
public static class SemaphoreSlimPatches
{
    private static readonly Func<(SemaphoreSlim Semaphore, CancellationToken Token), bool> s_tryTake =
        static wait => wait.Semaphore.Wait(0, wait.Token);

    /// <summary><see cref="SemaphoreSlim.Wait()"/>.</summary>
    [Patch(typeof(SemaphoreSlim), nameof(SemaphoreSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static void Wait(SemaphoreSlim semaphore)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            semaphore.Wait();
            return;
        }

        Wait(semaphore, Timeout.Infinite, CancellationToken.None);
    }

    /// <summary><see cref="SemaphoreSlim.Wait(int)"/>.</summary>
    /// <remarks>Unlike the other overloads, the original does not reject a timeout below -1: it returns at once, so this calls it.</remarks>
    [Patch(typeof(SemaphoreSlim), nameof(SemaphoreSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static bool Wait(SemaphoreSlim semaphore, int millisecondsTimeout) =>
        Hub.CooperativeGreenlet is null || millisecondsTimeout < Timeout.Infinite
            ? semaphore.Wait(millisecondsTimeout)
            : Wait(semaphore, millisecondsTimeout, CancellationToken.None);

    /// <summary><see cref="SemaphoreSlim.Wait(TimeSpan)"/>.</summary>
    [Patch(typeof(SemaphoreSlim), nameof(SemaphoreSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static bool Wait(SemaphoreSlim semaphore, TimeSpan timeout) =>
        Hub.CooperativeGreenlet is null ? semaphore.Wait(timeout) : Wait(semaphore, timeout, CancellationToken.None);

    /// <summary><see cref="SemaphoreSlim.Wait(CancellationToken)"/>.</summary>
    [Patch(typeof(SemaphoreSlim), nameof(SemaphoreSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static void Wait(SemaphoreSlim semaphore, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            semaphore.Wait(cancellationToken);
            return;
        }

        Wait(semaphore, Timeout.Infinite, cancellationToken);
    }

    /// <summary><see cref="SemaphoreSlim.Wait(TimeSpan, CancellationToken)"/>.</summary>
    [Patch(typeof(SemaphoreSlim), nameof(SemaphoreSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static bool Wait(SemaphoreSlim semaphore, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is null || semaphore is null)
        {
            return semaphore!.Wait(timeout, cancellationToken);
        }

        var limit = Timeouts.FromTimeSpan(timeout);
        return Wait(semaphore, limit is { } bounded ? (int)bounded.TotalMilliseconds : Timeout.Infinite, cancellationToken);
    }

    /// <summary><see cref="SemaphoreSlim.Wait(int, CancellationToken)"/>.</summary>
    [Patch(typeof(SemaphoreSlim), nameof(SemaphoreSlim.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    [Resumable]
    public static bool Wait(SemaphoreSlim semaphore, int millisecondsTimeout, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is not { } current || semaphore is null)
        {
            return semaphore!.Wait(millisecondsTimeout, cancellationToken);
        }

        // A resumed wait goes straight to its frame; only a first call tries before the link is taken.
        var frames = StacklessHandleWait.TakeLink(current, [], out _);

        // The original takes a free slot before it checks the timeout.
        if (frames is not { IsResuming: true } && semaphore.Wait(0, cancellationToken))
        {
            return true;
        }

        var timeout = Timeouts.FromMilliseconds(millisecondsTimeout);
        if (millisecondsTimeout == 0)
        {
            return false;
        }

        return frames is null
            ? WaitAsyncTwin(semaphore, millisecondsTimeout, cancellationToken)
            : StacklessHandleWait.Wait(frames, current, (semaphore, cancellationToken), s_tryTake, timeout, manualReset: null, "SemaphoreSlim.Wait", cancellationToken);
    }

    private static bool WaitAsyncTwin(SemaphoreSlim semaphore, int millisecondsTimeout, CancellationToken cancellationToken)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var acquiring = semaphore.WaitAsync(millisecondsTimeout, abandon.Token);
        try
        {
            Parking.Park(acquiring, timeout: null);
        }
        catch
        {
            abandon.Cancel();
            _ = acquiring.ContinueWith(
                static (waited, state) =>
                {
                    var (abandoned, hub) = ((SemaphoreSlim, Hub))state!;
                    if (waited.IsCompletedSuccessfully && waited.Result)
                    {
                        GiveBack(abandoned, hub);
                    }
                },
                (semaphore, Hub.Current), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        if (acquiring.IsCanceled)
        {
            // The BCL throws a plain OperationCanceledException carrying the caller's token.
            cancellationToken.ThrowIfCancellationRequested();
        }

        return acquiring.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Returns the slot an interrupted wait acquired after all. It runs on whichever thread completed the wait, so a
    /// failure (the semaphore released past its maximum meanwhile: a miscount in the caller's code) goes to the
    /// waiter's hub instead of vanishing in an unobserved continuation; a semaphore disposed meanwhile has nothing to give back to.
    /// </summary>
    private static void GiveBack(SemaphoreSlim semaphore, Hub hub)
    {
        try
        {
            semaphore.Release();
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception e)
        {
            hub.ReportErrorFromAnyThread(e);
        }
    }
}
