namespace Gevent.Patches;

/// <summary>How a replacement cooperates, best first (docs/architecture.md, "The patch catalog"); shown by <c>gevent-patch catalog</c>.</summary>
public enum PatchStrategy
{
    /// <summary>Non-blocking syscall; on would-block, wait on the loop's io watcher and retry.</summary>
    NonBlocking,

    /// <summary>Call the BCL's async twin and park the greenlet until it completes.</summary>
    AsyncTwin,

    /// <summary>Run the blocking call on the hub's thread pool and park the greenlet meanwhile.</summary>
    Offload,

    /// <summary>Implemented on the hub directly (timers, the baton).</summary>
    Hub,
}
