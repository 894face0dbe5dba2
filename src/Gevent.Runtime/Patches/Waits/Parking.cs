using System.Diagnostics;
using System.Runtime.CompilerServices;
using Gevent.Loop;

namespace Gevent.Patches;

/// <summary>
/// The waits' one way of blocking a greenlet: park it on a <see cref="Task"/> through
/// <see cref="GreenTask"/>, then let the caller ask the original with a zero timeout for the outcome,
/// so results and exceptions stay the BCL's own.
/// </summary>
internal static class Parking
{
    /// <summary>When <see cref="ParkOrLook"/> first looks itself; it looks twice as long after each time, up to <see cref="LongestLook"/>.</summary>
    internal static TimeSpan FirstLook { get; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest time between two looks.</summary>
    internal static TimeSpan LongestLook { get; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Parks the current greenlet until <paramref name="completion"/> completes, <paramref name="timeout"/>
    /// (null: none) passes or <paramref name="cancellationToken"/> is cancelled, which throws
    /// <see cref="OperationCanceledException"/> as the BCL's waits do. Call only where <see cref="Hub.CooperativeGreenlet"/> is set.
    /// </summary>
    public static void Park(Task completion, TimeSpan? timeout, CancellationToken cancellationToken = default)
    {
        if (timeout != TimeSpan.Zero)
        {
            GreenTask.ParkUntilCompleted(completion, timeout, cancellationToken);
        }

        if (!completion.IsCompleted)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// Like <see cref="Park"/> for a <paramref name="completion"/> that the .NET thread pool delivers (a registered
    /// wait's callback, an event it raises), which an app whose blocking code starves the pool may not run for long,
    /// while the original's wait would have ended: a loop timer also asks <paramref name="done"/> now and then, 50 ms
    /// after the start, then twice as long each time up to a second. One park for the whole wait, so a long one adds
    /// nothing to the task per look. True if <paramref name="done"/> said so while <paramref name="completion"/> was
    /// still pending.
    /// </summary>
    public static bool ParkOrLook(Task completion, TimeSpan? timeout, Func<bool> done, CancellationToken cancellationToken = default)
    {
        var loop = Hub.Current.Loop;
        var looked = new TaskCompletionSource();
        var look = FirstLook;
        LoopTimer? timer = null;
        void Look(object? state)
        {
            if (done())
            {
                looked.TrySetResult();
                return;
            }

            look = Durations.Doubled(look, LongestLook);
            timer = loop.StartTimer(look, Look, null);
        }

        timer = loop.StartTimer(look, Look, null);
        try
        {
            Park(Task.WhenAny(completion, looked.Task), timeout, cancellationToken);
        }
        finally
        {
            timer.Cancel();
        }

        return !completion.IsCompleted && looked.Task.IsCompleted;
    }

    /// <summary>What is left of <paramref name="timeout"/> (null: none) after <paramref name="waited"/>, never below zero.</summary>
    public static TimeSpan? Left(TimeSpan? timeout, Stopwatch waited) =>
        timeout is { } whole ? (whole > waited.Elapsed ? whole - waited.Elapsed : TimeSpan.Zero) : null;

    /// <summary>
    /// Parks until a manual-reset <paramref name="handle"/> is set (a registered wait, so no thread blocks, looked at
    /// now and then as <see cref="ParkOrLook"/> says),
    /// <paramref name="timeout"/> passes or <paramref name="cancellationToken"/> is cancelled. Only for
    /// handles whose wait takes nothing (manual-reset events): the registered wait observes the signal on a
    /// pool thread, which for an auto-reset event, a semaphore or a mutex would consume it there.
    /// True if the registered wait or a look saw the handle set: the wait ends with true even if the handle was reset
    /// since (pulsed), as a thread blocked in the original is released by the set.
    /// <paramref name="signalled"/>, if given, is the task the registered wait completes when it sees the handle set; the
    /// caller may complete it another way too (a patched <c>Set</c>), which ends the park the same way.
    /// </summary>
    public static bool ParkOnManualReset(WaitHandle handle, TimeSpan? timeout, CancellationToken cancellationToken, TaskCompletionSource? signalled = null)
    {
        signalled ??= new TaskCompletionSource();
        var registration = ThreadPool.UnsafeRegisterWaitForSingleObject(
            handle, static (state, _) => ((TaskCompletionSource)state!).TrySetResult(), signalled, Timeout.Infinite, executeOnlyOnce: true);
        try
        {
            return ParkOrLook(signalled.Task, timeout, () => handle.WaitOne(0), cancellationToken) || signalled.Task.IsCompleted;
        }
        finally
        {
            // Unregister blocks until the wait thread drops a wait it still holds (one woken another way): on the pool,
            // not on this greenlet's thread, which would hold its hub that long.
            ThreadPool.UnsafeQueueUserWorkItem(static registered => registered.Unregister(null), registration, preferLocal: false);
        }
    }

    /// <summary>
    /// A slim event's wait: <paramref name="isSet"/> (the original with a zero timeout: checks disposal and
    /// cancellation), else park on its manual-reset <paramref name="handle"/>, then ask again.
    /// </summary>
    public static bool WaitManualReset<TEvent>(
        TEvent @event, Func<TEvent, CancellationToken, bool> isSet, Func<TEvent, WaitHandle> handle, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (!isSet(@event, cancellationToken))
        {
            ParkOnManualReset(handle(@event), timeout, cancellationToken);
        }

        return isSet(@event, cancellationToken);
    }

    /// <summary>Parks until <paramref name="awaiter"/>'s operation completes (an awaiter's continuation, as <c>await</c> uses).</summary>
    public static void ParkOn<TAwaiter>(TAwaiter awaiter)
        where TAwaiter : ICriticalNotifyCompletion
    {
        var completed = new TaskCompletionSource();

        // TrySetResult: a faulty awaitable (a library's value-task source) may call the continuation twice,
        // on a thread of its own, where a throwing SetResult would end the process.
        awaiter.UnsafeOnCompleted(() => completed.TrySetResult());
        Park(completed.Task, timeout: null);
    }
}
