using Gevent.Patches;


namespace Gevent.Patches;

public static partial class TaskPatches
{
    private static readonly Task s_never = new TaskCompletionSource().Task;

    /// <summary><see cref="Task.WaitAll(Task[])"/>.</summary>
    [Patch(typeof(Task), nameof(Task.WaitAll), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static void WaitAll(params Task[] tasks)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            Task.WaitAll(tasks);
            return;
        }

        WaitAll(tasks, Timeout.Infinite, CancellationToken.None);
    }

    /// <summary><see cref="Task.WaitAll(ReadOnlySpan{Task})"/>.</summary>
    [Patch(typeof(Task), nameof(Task.WaitAll), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static void WaitAll(params ReadOnlySpan<Task> tasks)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            Task.WaitAll(tasks);
            return;
        }

        WaitAll(tasks.ToArray());
    }

    /// <summary><see cref="Task.WaitAll(IEnumerable{Task}, CancellationToken)"/>.</summary>
    [Patch(typeof(Task), nameof(Task.WaitAll), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static void WaitAll(IEnumerable<Task> tasks, CancellationToken cancellationToken = default)
    {
        if (Hub.CooperativeGreenlet is null || tasks is null)
        {
            Task.WaitAll(tasks!, cancellationToken);
            return;
        }

        WaitAll(tasks.ToArray(), Timeout.Infinite, cancellationToken);
    }

    /// <summary><see cref="Task.WaitAll(Task[], int)"/>.</summary>
    [Patch(typeof(Task), nameof(Task.WaitAll), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static bool WaitAll(Task[] tasks, int millisecondsTimeout) =>
        Hub.CooperativeGreenlet is null ? Task.WaitAll(tasks, millisecondsTimeout) : WaitAll(tasks, millisecondsTimeout, CancellationToken.None);

    /// <summary><see cref="Task.WaitAll(Task[], TimeSpan)"/>.</summary>
    [Patch(typeof(Task), nameof(Task.WaitAll), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static bool WaitAll(Task[] tasks, TimeSpan timeout) =>
        Hub.CooperativeGreenlet is null ? Task.WaitAll(tasks, timeout) : WaitAll(tasks, Timeouts.FromTimeSpan(timeout), CancellationToken.None);

    /// <summary><see cref="Task.WaitAll(Task[], CancellationToken)"/>.</summary>
    [Patch(typeof(Task), nameof(Task.WaitAll), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static void WaitAll(Task[] tasks, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            Task.WaitAll(tasks, cancellationToken);
            return;
        }

        WaitAll(tasks, Timeout.Infinite, cancellationToken);
    }

    /// <summary><see cref="Task.WaitAll(Task[], int, CancellationToken)"/>.</summary>
    [Patch(typeof(Task), nameof(Task.WaitAll), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static bool WaitAll(Task[] tasks, int millisecondsTimeout, CancellationToken cancellationToken) =>
        Hub.CooperativeGreenlet is null
            ? Task.WaitAll(tasks, millisecondsTimeout, cancellationToken)
            : WaitAll(tasks, Timeouts.FromMilliseconds(millisecondsTimeout), cancellationToken);

    /// <summary><see cref="Task.WaitAny(Task[])"/>.</summary>
    [Patch(typeof(Task), nameof(Task.WaitAny), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static int WaitAny(params Task[] tasks) =>
        Hub.CooperativeGreenlet is null ? Task.WaitAny(tasks) : WaitAny(tasks, Timeout.Infinite, CancellationToken.None);

    /// <summary><see cref="Task.WaitAny(Task[], int)"/>.</summary>
    [Patch(typeof(Task), nameof(Task.WaitAny), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static int WaitAny(Task[] tasks, int millisecondsTimeout) =>
        Hub.CooperativeGreenlet is null ? Task.WaitAny(tasks, millisecondsTimeout) : WaitAny(tasks, millisecondsTimeout, CancellationToken.None);

    /// <summary><see cref="Task.WaitAny(Task[], TimeSpan)"/>.</summary>
    [Patch(typeof(Task), nameof(Task.WaitAny), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static int WaitAny(Task[] tasks, TimeSpan timeout) =>
        Hub.CooperativeGreenlet is null ? Task.WaitAny(tasks, timeout) : WaitAny(tasks, Timeouts.FromTimeSpan(timeout), CancellationToken.None);

    /// <summary><see cref="Task.WaitAny(Task[], CancellationToken)"/>.</summary>
    [Patch(typeof(Task), nameof(Task.WaitAny), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static int WaitAny(Task[] tasks, CancellationToken cancellationToken) =>
        Hub.CooperativeGreenlet is null ? Task.WaitAny(tasks, cancellationToken) : WaitAny(tasks, Timeout.Infinite, cancellationToken);

    /// <summary><see cref="Task.WaitAny(Task[], int, CancellationToken)"/>.</summary>
    [Patch(typeof(Task), nameof(Task.WaitAny), PatchKind.Static, PatchStrategy.AsyncTwin)]
    public static int WaitAny(Task[] tasks, int millisecondsTimeout, CancellationToken cancellationToken) =>
        Hub.CooperativeGreenlet is null
            ? Task.WaitAny(tasks, millisecondsTimeout, cancellationToken)
            : WaitAny(tasks, Timeouts.FromMilliseconds(millisecondsTimeout), cancellationToken);

    /// <summary>
    /// In a greenlet: the original with a zero timeout first (it validates the array and may find all done),
    /// then park until every task completes. The continuation never faults, so nothing goes unobserved.
    /// </summary>
    private static bool WaitAll(Task[] tasks, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (Task.WaitAll(tasks, 0, cancellationToken))
        {
            return true;
        }

        var all = Task.Factory.ContinueWhenAll(tasks, static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Parking.Park(all, timeout, cancellationToken);
        return Task.WaitAll(tasks, 0, cancellationToken);
    }

    private static int WaitAny(Task[] tasks, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var index = Task.WaitAny(tasks, 0, cancellationToken);
        if (index >= 0)
        {
            return index;
        }

        // With no tasks the original just sleeps out its timeout.
        Parking.Park(tasks.Length == 0 ? s_never : Task.WhenAny(tasks), timeout, cancellationToken);
        return Task.WaitAny(tasks, 0, cancellationToken);
    }
}
