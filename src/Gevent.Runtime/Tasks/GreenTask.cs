namespace Gevent;

/// <summary>
/// Cooperative waits on <see cref="Task"/> and <see cref="ValueTask"/>: called from a greenlet, they
/// park only that greenlet until the task completes while the hub runs the others; anywhere else they
/// are the BCL call itself. Each mirrors the BCL member it is named after — same results, same
/// exceptions — so patched code can call it in place of <c>Task.Wait</c>, <c>Task&lt;T&gt;.Result</c>
/// or <c>GetAwaiter().GetResult()</c>.
/// </summary>
public static class GreenTask
{
    /// <summary>
    /// What a greenlet parked in one of these waits is waiting on (<see cref="Greenlet"/>'s <c>WaitingOn</c>): code that
    /// interrupts greenlets can tell a wait whose task keeps running once abandoned.
    /// </summary>
    internal const string WaitingOnTask = "a Task";

    /// <summary>Like <see cref="Task.Wait()"/>: waits for <paramref name="task"/>; a failure is thrown as an <see cref="AggregateException"/>.</summary>
    public static void Wait(Task task)
    {
        ParkUntilCompleted(task, null);
        task.Wait();
    }

    /// <summary>
    /// Like <see cref="Task.Wait(TimeSpan)"/>: waits up to <paramref name="timeout"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: no limit) and returns whether the task completed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative and not infinite.</exception>
    public static bool Wait(Task task, TimeSpan timeout)
    {
        Durations.Validate(timeout, nameof(timeout), allowInfinite: true);
        if (!ParkUntilCompleted(task, timeout))
        {
            return task.Wait(timeout);
        }

        return task.Wait(TimeSpan.Zero);
    }

    /// <summary>Like <see cref="Task.Wait(int)"/>: waits up to <paramref name="millisecondsTimeout"/> (-1: no limit) and returns whether the task completed.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="millisecondsTimeout"/> is below -1.</exception>
    public static bool Wait(Task task, int millisecondsTimeout) => Wait(task, TimeSpan.FromMilliseconds(millisecondsTimeout));

    /// <summary>Like <see cref="Task.Wait(CancellationToken)"/>: waits until the task completes or <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled before the task completed.</exception>
    public static void Wait(Task task, CancellationToken cancellationToken)
    {
        ParkUntilCompleted(task, null, cancellationToken);
        task.Wait(cancellationToken);
    }

    /// <summary>Like <see cref="Task{TResult}.Result"/>: waits and returns the value; a failure is thrown as an <see cref="AggregateException"/>.</summary>
    public static T Result<T>(Task<T> task)
    {
        ParkUntilCompleted(task, null);
        return task.Result;
    }

    /// <summary>Like <c>task.GetAwaiter().GetResult()</c>: waits; a failure is thrown as itself.</summary>
    public static void GetResult(Task task)
    {
        ParkUntilCompleted(task, null);
        task.GetAwaiter().GetResult();
    }

    /// <summary>Like <c>task.GetAwaiter().GetResult()</c>: waits and returns the value; a failure is thrown as itself.</summary>
    public static T GetResult<T>(Task<T> task)
    {
        ParkUntilCompleted(task, null);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Like <c>task.GetAwaiter().GetResult()</c> on a <see cref="ValueTask"/>: waits; a failure is thrown as itself.</summary>
    public static void GetResult(ValueTask task)
    {
        if (task.IsCompleted)
        {
            task.GetAwaiter().GetResult();
            return;
        }

        GetResult(task.AsTask());
    }

    /// <summary>Like <see cref="ValueTask{TResult}.Result"/>: waits and returns the value; a failure is thrown as itself.</summary>
    public static T GetResult<T>(ValueTask<T> task) => task.IsCompleted ? task.Result : GetResult(task.AsTask());

    /// <summary>
    /// In a greenlet, parks it until <paramref name="task"/> completes, <paramref name="timeout"/>
    /// passes or <paramref name="cancellationToken"/> is cancelled, and returns true; elsewhere returns false at once, leaving the wait to the BCL.
    /// </summary>
    internal static bool ParkUntilCompleted(Task task, TimeSpan? timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (Hub.CurrentGreenletOrNull is not { } current)
        {
            return false;
        }

        if (task.IsCompleted)
        {
            return true;
        }

        var hub = current.Hub;
        var waiter = new TaskWaiter(hub, new WakeToken(current));
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(waiter.OnCompleted);
        using var cancellation = cancellationToken.UnsafeRegister(static state => ((TaskWaiter)state!).OnCompleted(), waiter);
        var timer = Durations.IsBounded(timeout, nameof(timeout)) ? hub.Loop.StartTimer(timeout!.Value, WakeToken.WakeCallback, waiter.Token) : null;
        try
        {
            hub.Block(WaitingOnTask);
        }
        finally
        {
            timer?.Cancel();
            waiter.StopWaiting();
        }

        return true;
    }

    /// <summary>
    /// One greenlet waiting for a task. Holds an async ref on the loop while it waits, so the hub does
    /// not declare a deadlock while the task runs elsewhere; the completion posts back to the hub.
    /// </summary>
    private sealed class TaskWaiter
    {
        private static readonly Action<object?> s_arrived = static state =>
        {
            var waiter = (TaskWaiter)state!;
            waiter.StopWaiting();
            waiter._hub.Wake(waiter.Token);
        };

        private readonly Hub _hub;
        private bool _holdsRef;

        public TaskWaiter(Hub hub, WakeToken token)
        {
            _hub = hub;
            Token = token;
            hub.Loop.AddAsyncRef();
            _holdsRef = true;
        }

        public WakeToken Token { get; }

        /// <summary>Runs on whichever thread completes the task or cancels the wait; only the first call wakes the greenlet.</summary>
        public void OnCompleted() => _hub.Loop.PostThreadSafe(s_arrived, this);

        /// <summary>Releases the loop once: at completion or when the greenlet stops waiting (timeout, kill), whichever is first.</summary>
        public void StopWaiting()
        {
            if (_holdsRef)
            {
                _holdsRef = false;
                _hub.Loop.ReleaseAsyncRef();
            }
        }
    }
}
