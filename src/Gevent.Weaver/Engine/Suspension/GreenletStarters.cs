using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// The runtime's public members that start a greenlet (or a task on another hub) over a delegate: they only
/// schedule it, so the delegate never runs inside the caller's frame and the call is no way for the caller to
/// suspend, as an async builder's <c>AwaitOnCompleted</c> is not. Matched by name, as the analysis reads
/// callees it need not resolve.
/// </summary>
internal static class GreenletStarters
{
    /// <summary>Whether <paramref name="callee"/> starts a greenlet over a delegate it is handed rather than calling it.</summary>
    public static bool Schedules(MethodReference callee) => (callee.DeclaringType.Namespace, callee.DeclaringType.Name, callee.Name) switch
    {
        ("Gevent", "Greenlet" or "Greenlet`1", ".ctor" or "Spawn" or "SpawnLater") => true,
        // A pool's calls name Group's members: Pool declares none of its own.
        ("Gevent", "Group", "Spawn" or "ApplyAsync") => true,
        ("Gevent", "GreenletHost" or "HubGroup", "SpawnAsync") => true,
        ("Gevent.CompilerServices", "ResumableGreenlet", _) => true,
        _ => false,
    };
}
