using System.Runtime.CompilerServices;

namespace Gevent;

/// <summary>
/// Lets async code wait for greenlets: <c>await greenlet</c> (or <c>greenlet.AsTask()</c>) from any
/// thread completes when the greenlet dies, with its value or exception. The greenlet's hub must keep
/// running (for example in a <see cref="GreenletHost"/>) for the completion to arrive.
/// </summary>
public static class GreenletTaskExtensions
{
    /// <summary>
    /// A task that completes with <paramref name="greenlet"/>'s value (default if killed, as by its hub's disposal) or
    /// fails with its exception. A greenlet of a disposed hub gives its outcome at once.
    /// </summary>
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

        // Continuations must not run inside the hub's loop, where the link fires. Links belong to the hub's baton
        // holder: another thread registers from inside its loop.
        var completion = new Completion<TResult>(valueOf);
        if (Hub.CurrentGreenletOrNull?.Hub == greenlet.Hub)
        {
            completion.LinkTo(greenlet);
        }
        else if (!greenlet.Hub.Loop.TryRunCallbackThreadSafe(() => completion.LinkTo(greenlet)))
        {
            // The hub is ending or gone: its greenlets were killed, and their outcome will not change.
            completion.Finish(greenlet);
        }

        return completion.Task;
    }

    private sealed class Completion<TResult>(Func<Greenlet, TResult> valueOf)
        : TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        private static readonly Action<Greenlet, object?> s_finished = static (greenlet, state) => ((Completion<TResult>)state!).Finish(greenlet);

        public void LinkTo(Greenlet greenlet) => greenlet.AddRawLink(s_finished, this);

        /// <summary>Completes with <paramref name="greenlet"/>'s outcome; one still alive in an ended hub will never run again.</summary>
        public void Finish(Greenlet greenlet)
        {
            if (!greenlet.Dead)
            {
                TrySetException(new ObjectDisposedException(greenlet.Hub.ToString(), $"Hub {greenlet.Hub.Id} was disposed before greenlet '{greenlet.Name}' ended."));
            }
            else if (greenlet.Exception is { } failure)
            {
                TrySetException(failure);
            }
            else
            {
                TrySetResult(valueOf(greenlet));
            }
        }
    }
}
