using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// What a cooperative socket call keeps while its stackless greenlet waits for readiness without a thread: the
/// registered wait, the deadline of the socket's timeout, and the call's progress (the rest of its state is
/// rebuilt from the arguments its woven caller passes again to resume).
/// </summary>
internal sealed class SocketWaitFrame(Hub.PendingIo wait, long deadline, int progress) : ResumableFrame
{
    public Hub.PendingIo Wait { get; } = wait;

    public long Deadline { get; } = deadline;

    public int Progress { get; } = progress;
}
