namespace Gevent.Loop;

/// <summary>
/// A one-shot timer on a hub's <see cref="EventLoop"/>. Its callback runs in the hub's loop: it must
/// not block (spawn a greenlet for that). Dispose or <see cref="Cancel"/> stops it.
/// </summary>
public sealed class LoopTimer : IDisposable
{
    private readonly EventLoop _loop;

    internal LoopTimer(EventLoop loop, long due, Action<object?> callback, object? state, bool keepsLoopAlive)
    {
        _loop = loop;
        Due = due;
        Callback = callback;
        State = state;
        KeepsLoopAlive = keepsLoopAlive;
    }

    /// <summary>True until the timer fires or is cancelled.</summary>
    public bool Pending => HeapIndex >= 0;

    internal long Due { get; }

    internal int HeapIndex { get; set; } = -1;

    internal Action<object?> Callback { get; }

    internal object? State { get; }

    /// <summary>Whether a pending timer counts as work that keeps the loop from exiting (libev's "ref").</summary>
    internal bool KeepsLoopAlive { get; }

    /// <summary>Stops the timer if it has not fired; harmless otherwise.</summary>
    public void Cancel() => _loop.StopTimer(this);

    /// <summary>Same as <see cref="Cancel"/>.</summary>
    public void Dispose() => Cancel();
}
