using Gevent.Patches;


namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="Task"/>'s blocking waits: in a greenlet, park it until the
/// task completes (the other greenlets run meanwhile), then ask the original for the outcome with a zero
/// timeout, so results and exceptions (<see cref="AggregateException"/>, <see cref="OperationCanceledException"/>)
/// are the BCL's own. A null receiver throws <see cref="NullReferenceException"/> as before.
/// </summary>
public static partial class TaskPatches
{
    /// <summary><see cref="Task.Wait()"/>.</summary>
    [Patch(typeof(Task), nameof(Task.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static void Wait(Task task)
    {
        if (Cooperates(task))
        {
            Parking.Park(task, timeout: null);
        }

        task.Wait();
    }

    /// <summary><see cref="Task.Wait(int)"/>.</summary>
    [Patch(typeof(Task), nameof(Task.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool Wait(Task task, int millisecondsTimeout) =>
        Hub.CooperativeGreenlet is null ? task.Wait(millisecondsTimeout) : Wait(task, millisecondsTimeout, CancellationToken.None);

    /// <summary><see cref="Task.Wait(TimeSpan)"/>.</summary>
    [Patch(typeof(Task), nameof(Task.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool Wait(Task task, TimeSpan timeout) =>
        Hub.CooperativeGreenlet is null ? task.Wait(timeout) : Wait(task, timeout, CancellationToken.None);

    /// <summary><see cref="Task.Wait(CancellationToken)"/>.</summary>
    [Patch(typeof(Task), nameof(Task.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static void Wait(Task task, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            task.Wait(cancellationToken);
            return;
        }

        Wait(task, Timeout.Infinite, cancellationToken);
    }

    /// <summary><see cref="Task.Wait(int, CancellationToken)"/>.</summary>
    [Patch(typeof(Task), nameof(Task.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool Wait(Task task, int millisecondsTimeout, CancellationToken cancellationToken)
    {
        if (!Cooperates(task))
        {
            return task.Wait(millisecondsTimeout, cancellationToken);
        }

        Parking.Park(task, Timeouts.FromMilliseconds(millisecondsTimeout), cancellationToken);
        return task.Wait(0, cancellationToken);
    }

    /// <summary><see cref="Task.Wait(TimeSpan, CancellationToken)"/>.</summary>
    [Patch(typeof(Task), nameof(Task.Wait), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool Wait(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!Cooperates(task))
        {
            return task.Wait(timeout, cancellationToken);
        }

        Parking.Park(task, Timeouts.FromTimeSpan(timeout), cancellationToken);
        return task.Wait(0, cancellationToken);
    }

    /// <summary><see cref="Task{TResult}.Result"/>.</summary>
    [Patch(typeof(Task<>), nameof(Task<int>.Result), PatchKind.Getter, PatchStrategy.AsyncTwin)]
    public static T Result<T>(Task<T> task)
    {
        if (Cooperates(task))
        {
            Parking.Park(task, timeout: null);
        }

        return task.Result;
    }

    /// <summary>True when the caller is a greenlet that may park and the receiver is not null (a null one throws from the original call).</summary>
    private static bool Cooperates(object? receiver) => receiver is not null && Hub.CooperativeGreenlet is not null;
}
