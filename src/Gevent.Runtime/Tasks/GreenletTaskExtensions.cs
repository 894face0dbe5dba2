using System.Runtime.CompilerServices;

namespace Gevent;

/// <summary>
/// Lets async code wait for greenlets: <c>await greenlet</c> (or <c>greenlet.AsTask()</c>) from any
/// thread completes when the greenlet dies, with its value or exception. The greenlet's hub must keep
/// running (for example in a <see cref="GreenletHost"/>) for the completion to arrive.
/// </summary>
public static class GreenletTaskExtensions
{
    /// <summary>A task that completes with <paramref name="greenlet"/>'s value (default if killed) or fails with its exception.</summary>
    public static Task<T> AsTask<T>(this Greenlet<T> greenlet) => Observe(greenlet, static g => ((Greenlet<T>)g).Value!);

    /// <summary>A task that completes when <paramref name="greenlet"/> dies, or fails with its exception.</summary>
    public static Task AsTask(this Greenlet greenlet) => Observe(greenlet, static _ => true);

    /// <summary>Makes <c>await greenlet</c> work, giving its value.</summary>
    public static TaskAwaiter<T> GetAwaiter<T>(this Greenlet<T> greenlet) => greenlet.AsTask().GetAwaiter();

    /// <summary>Makes <c>await greenlet</c> work.</summary>
    public static TaskAwaiter GetAwaiter(this Greenlet greenlet) => greenlet.AsTask().GetAwaiter();

    private static Task<TResult> Observe<TResult>(Greenlet greenlet, Func<Greenlet, TResult> valueOf)
    {
        ArgumentNullException.ThrowIfNull(greenlet);

        // Continuations must not run inside the hub's loop, where the link fires.
        var completion = new Completion<TResult>(valueOf);
        if (Hub.CurrentGreenletOrNull?.Hub == greenlet.Hub)
        {
            completion.LinkTo(greenlet);
        }
        else
        {
            // Links belong to the hub's baton holder: register from inside its loop.
            greenlet.Hub.Loop.RunCallbackThreadSafe(() => completion.LinkTo(greenlet));
        }

        return completion.Task;
    }

    private sealed class Completion<TResult>(Func<Greenlet, TResult> valueOf)
        : TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        private static readonly Action<Greenlet, object?> Finished = static (greenlet, state) =>
        {
            var completion = (Completion<TResult>)state!;
            if (greenlet.Exception is { } failure)
            {
                completion.TrySetException(failure);
            }
            else
            {
                completion.TrySetResult(completion.ValueOf(greenlet));
            }
        };

        private Func<Greenlet, TResult> ValueOf { get; } = valueOf;

        public void LinkTo(Greenlet greenlet) => greenlet.AddRawLink(Finished, this);
    }
}
