using System.Runtime.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <c>GetAwaiter().GetResult()</c> and <see cref="ValueTask{TResult}.Result"/>:
/// in a greenlet, park it on the awaiter's continuation (as <c>await</c> would), then take the result from
/// the original, which no longer blocks. These are instance members of structs, called on an address:
/// the replacement takes the receiver by reference.
/// </summary>
public static class AwaiterPatches
{
    /// <summary><see cref="TaskAwaiter.GetResult"/>.</summary>
    [Patch(typeof(TaskAwaiter), nameof(TaskAwaiter.GetResult), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static void GetResult(ref TaskAwaiter awaiter)
    {
        if (Cooperates(awaiter.IsCompleted))
        {
            Parking.ParkOn(awaiter);
        }

        awaiter.GetResult();
    }

    /// <summary><see cref="TaskAwaiter{TResult}.GetResult"/>.</summary>
    [Patch(typeof(TaskAwaiter<>), nameof(TaskAwaiter<int>.GetResult), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static T GetResult<T>(ref TaskAwaiter<T> awaiter)
    {
        if (Cooperates(awaiter.IsCompleted))
        {
            Parking.ParkOn(awaiter);
        }

        return awaiter.GetResult();
    }

    /// <summary><see cref="ValueTaskAwaiter.GetResult"/>.</summary>
    [Patch(typeof(ValueTaskAwaiter), nameof(ValueTaskAwaiter.GetResult), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static void GetResult(ref ValueTaskAwaiter awaiter)
    {
        if (Cooperates(awaiter.IsCompleted))
        {
            Parking.ParkOn(awaiter);
        }

        awaiter.GetResult();
    }

    /// <summary><see cref="ValueTaskAwaiter{TResult}.GetResult"/>.</summary>
    [Patch(typeof(ValueTaskAwaiter<>), nameof(ValueTaskAwaiter<int>.GetResult), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static T GetResult<T>(ref ValueTaskAwaiter<T> awaiter)
    {
        if (Cooperates(awaiter.IsCompleted))
        {
            Parking.ParkOn(awaiter);
        }

        return awaiter.GetResult();
    }

    /// <summary>
    /// <see cref="ValueTask{TResult}.Result"/>, which blocks for a task-backed value task that is not done
    /// (and, for most other sources, throws if not done: in a greenlet it waits instead).
    /// </summary>
    [Patch(typeof(ValueTask<>), nameof(ValueTask<int>.Result), PatchKind.Getter, PatchStrategy.AsyncTwin)]
    public static T Result<T>(ref ValueTask<T> task)
    {
        if (Cooperates(task.IsCompleted))
        {
            Parking.ParkOn(task.GetAwaiter());
        }

        return task.Result;
    }

    /// <summary>
    /// Whether to park: not yet complete, in a greenlet that may park. Reading <c>IsCompleted</c> first makes a
    /// default awaiter throw <see cref="NullReferenceException"/>, as the original does.
    /// </summary>
    private static bool Cooperates(bool isCompleted) => !isCompleted && Hub.CooperativeGreenlet is not null;
}
