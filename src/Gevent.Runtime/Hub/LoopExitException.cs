namespace Gevent;

/// <summary>
/// A greenlet waited for something that nothing left in the hub could ever bring: no other greenlet
/// is runnable and no timer, watcher or outside operation is pending. Delivered to the hub's main
/// greenlet (gevent's <c>LoopExit</c>), naming what it was waiting on.
/// </summary>
public sealed class LoopExitException : InvalidOperationException
{
    /// <summary>Creates the exception for a wait on <paramref name="waitingOn"/>.</summary>
    public LoopExitException(string waitingOn)
        : base($"This operation would block forever: the hub has nothing left that could end the wait on {waitingOn} (no runnable greenlet, timer, watcher or pending operation).")
    {
        WaitingOn = waitingOn;
    }

    /// <summary>What the greenlet was waiting on, e.g. <c>Join(Greenlet-3)</c>.</summary>
    public string WaitingOn { get; }
}
