namespace Gevent;

/// <summary>Where a greenlet is in its life; only the hub's baton holder changes it.</summary>
internal enum GreenletState
{
    /// <summary>Constructed, not started.</summary>
    Created,

    /// <summary>Started: waiting in the ready queue (or on a start timer) to run for the first time.</summary>
    Scheduled,

    /// <summary>Holds the baton.</summary>
    Running,

    /// <summary>Blocked in <c>Hub.Block</c>, waiting to be woken.</summary>
    Parked,

    /// <summary>Woken, in the ready queue.</summary>
    Ready,

    /// <summary>Finished, failed or killed.</summary>
    Dead,
}
