namespace Gevent.CompilerServices;

/// <summary>
/// Why a stackless greenlet pinned: at a blocking point its frames could not be saved, so it blocked its
/// carrier thread as a tier-1 greenlet does while the hub went on on another. Coarser than the weaver's
/// analysis (docs/execution-tiers.md maps one to the other): the pin's logged stack names the call site.
/// </summary>
public enum PinReason
{
    /// <summary>The blocking point has no resumable form yet: a runtime wait other than sleep, yield, join, event and queue waits.</summary>
    RuntimeWait,

    /// <summary>Code that is not resumable (BCL code calling back into woven code, reflection) lies between the greenlet's entry and the blocking point.</summary>
    UnwovenFrame,

    /// <summary>A monitor is held (<c>lock</c>, a synchronized method): monitors belong to threads.</summary>
    MonitorHeld,

    /// <summary>The wait is inside a catch, finally, fault or filter block, which cannot be re-entered.</summary>
    InsideHandler,

    /// <summary>A frame holds what cannot move to the heap across the wait: a byref, a ref struct, <c>stackalloc</c> memory, a pinned local, a byref return, <c>__arglist</c>, or a <c>tail.</c> call.</summary>
    FrameState,

    /// <summary>The wait is inside a constructor (a static one runs under the type-initialisation lock).</summary>
    Constructor,

    /// <summary>
    /// The wait may give the waiting OS thread something it then owns (a <see cref="Mutex"/>'s ownership, or a
    /// <see cref="WaitHandle"/> of a kind not known to be free of that): the greenlet must stay on that thread.
    /// </summary>
    ThreadOwnedWait,

    /// <summary>
    /// The greenlet holds a <see cref="Mutex"/> it took in a wait: the mutex belongs to the carrier thread that took it,
    /// so the greenlet stays on that thread until its last <see cref="Mutex.ReleaseMutex"/>.
    /// </summary>
    MutexHeld,
}
