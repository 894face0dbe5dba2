using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Gevent.CompilerServices;

/// <summary>
/// What woven code calls instead of an async method builder's <c>Start</c> (<c>AsyncTaskMethodBuilder</c>,
/// <c>AsyncValueTaskMethodBuilder</c>, their generic and pooling forms, <c>AsyncVoidMethodBuilder</c>), so that an async
/// method run synchronously (sync-over-async, Npgsql's <c>async: false</c>) can suspend a stackless greenlet in a wait
/// inside it (docs/execution-tiers.md, "Struct async state machines"). Infrastructure for woven code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class AsyncStateMachineStart
{
    /// <summary>
    /// Runs <paramref name="stateMachine"/>'s <c>MoveNext</c> as the builder's <c>Start</c> does: the thread's
    /// <see cref="ExecutionContext"/> and <see cref="SynchronizationContext"/> are put back afterwards, so that what the
    /// async method changed (an <c>AsyncLocal</c>) does not leak to its caller. Resumable: when <c>MoveNext</c>
    /// suspends, the async method's contexts are kept in a frame and the caller's put back before the frames below
    /// unwind; on resume the caller's are taken anew from the thread and the async method's put back before
    /// <c>MoveNext</c> is re-entered.
    /// </summary>
    /// <param name="builder">The builder the compiler called <c>Start</c> on: not used (each of those builders' <c>Start</c>
    /// runs the same code, which does not touch the builder), taken so that the call keeps the original's stack shape.</param>
    /// <param name="stateMachine">The state machine, in the caller's storage.</param>
    [Resumable]
    public static void Start<TBuilder, TStateMachine>(ref TBuilder builder, ref TStateMachine stateMachine)
        where TStateMachine : IAsyncStateMachine
    {
        var frames = FrameStack.Current;
        var callerContext = ExecutionContext.Capture();
        if (frames is null || !frames.Enter() || (callerContext is null && !frames.IsResuming))
        {
            // Not linked (a wait inside pins), or the flow suppressed (no public API puts a suppressed context back):
            // the builders' own Start, which MoveNext is entered from unlinked.
            AsyncTaskMethodBuilder.Create().Start(ref stateMachine);
            return;
        }

        var callerSynchronization = SynchronizationContext.Current;
        if (frames.IsResuming)
        {
            var frame = (AsyncStartFrame)frames.Pop();
            Restore(frame.ExecutionContext);
            SynchronizationContext.SetSynchronizationContext(frame.SynchronizationContext);
        }

        try
        {
            frames.Link();
            stateMachine.MoveNext();
        }
        finally
        {
            if (frames.IsSuspending)
            {
                frames.Push(new AsyncStartFrame(ExecutionContext.Capture(), SynchronizationContext.Current));
            }

            if (SynchronizationContext.Current != callerSynchronization)
            {
                SynchronizationContext.SetSynchronizationContext(callerSynchronization);
            }

            Restore(callerContext);
        }
    }

    private static void Restore(ExecutionContext? context)
    {
        // Null where the flow was suppressed: left as it is (the tier does the same with a greenlet's context).
        if (context is not null)
        {
            ExecutionContext.Restore(context);
        }
    }
}
