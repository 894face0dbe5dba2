using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// Base-library members that queue a delegate they are handed to the thread pool (a timer's callback, <c>Task.Run</c>'s
/// body, a work item) and return: the delegate runs later on a pool thread, never inside the caller's frame, so the call
/// is no way for the caller to suspend (as <see cref="GreenletStarters"/>' calls are not). Matched by name, as the
/// analysis reads callees it need not resolve.
/// </summary>
internal static class ThreadPoolSchedulers
{
    /// <summary>Whether <paramref name="callee"/> queues a delegate it is handed rather than calling it.</summary>
    public static bool Schedules(MethodReference callee) => (callee.DeclaringType.Namespace, callee.DeclaringType.Name, callee.Name) switch
    {
        ("System.Threading", "Timer", ".ctor") => true,
        ("System.Threading", "ThreadPool", "QueueUserWorkItem" or "UnsafeQueueUserWorkItem") => true,
        ("System.Threading.Tasks", "Task", "Run") => true,
        _ => false,
    };
}
