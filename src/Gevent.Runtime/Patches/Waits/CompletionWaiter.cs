namespace Gevent.Patches;

/// <summary>
/// A waiter of a <see cref="WaiterTable"/> that completes a task the greenlet parks on, so that a patched signal (a slim
/// event's <c>Set</c>) wakes it from the signalling thread, in one post to its hub, instead of through the .NET thread
/// pool.
/// </summary>
internal sealed class CompletionWaiter : WaiterTable.Waiter
{
    /// <summary>Completes (on the signalling thread, its continuations with it) when a signal takes this waiter.</summary>
    public TaskCompletionSource Woken { get; } = new();

    protected override void Wake() => Woken.TrySetResult();
}
