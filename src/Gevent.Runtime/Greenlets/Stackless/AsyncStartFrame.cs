namespace Gevent.CompilerServices;

/// <summary>
/// What <see cref="AsyncStateMachineStart.Start"/> keeps while its stackless greenlet is suspended inside the state
/// machine's <c>MoveNext</c>: the contexts the async method was running under (an <c>AsyncLocal</c> it set, a
/// synchronization context it installed), taken off the thread before the frames below unwind and put back on resume.
/// </summary>
internal sealed class AsyncStartFrame(ExecutionContext? executionContext, SynchronizationContext? synchronizationContext) : ResumableFrame
{
    /// <summary>The async method's execution context; null when its flow was suppressed.</summary>
    public ExecutionContext? ExecutionContext { get; } = executionContext;

    /// <summary>The async method's synchronization context.</summary>
    public SynchronizationContext? SynchronizationContext { get; } = synchronizationContext;
}
