namespace Gevent.CompilerServices;

/// <summary>
/// Why a stackless greenlet pinned: at a blocking point its frames could not be saved, so it blocked its
/// carrier thread as a tier-1 greenlet does while the hub went on on another. Woven code names the reason
/// when it opens a <see cref="FrameStack.Pin"/> scope; the runtime finds the first two itself.
/// </summary>
public enum PinReason
{
    /// <summary>The blocking point itself has no resumable form yet (a runtime wait other than sleep, yield, join, event and queue).</summary>
    RuntimeWait,

    /// <summary>A resumable method was entered from code that is not (a BCL method calling back into woven code), whose frame cannot be saved.</summary>
    UnwovenFrame,

    /// <summary>Reflection frames lie between the greenlet's entry and the blocking point.</summary>
    Reflection,

    /// <summary>A byref (a <c>ref</c> local, a value type's <c>this</c>) is live across the call.</summary>
    ByRef,

    /// <summary>A ref struct (<c>Span&lt;T&gt;</c>…) is live across the call and cannot move to the heap.</summary>
    RefStruct,

    /// <summary>Memory from <c>stackalloc</c> is live across the call.</summary>
    LocalAlloc,

    /// <summary>A pinned local (<c>fixed</c>) is live across the call.</summary>
    PinnedLocal,

    /// <summary>The call is inside a catch, finally, fault or filter block, which cannot be re-entered.</summary>
    InsideHandler,

    /// <summary>A monitor (<c>lock</c>) is held across the call; monitors are owned by threads.</summary>
    MonitorHeld,

    /// <summary>The call is in a constructor.</summary>
    Constructor,

    /// <summary>The call is in a static constructor, under the runtime's type-initialisation lock.</summary>
    StaticConstructor,

    /// <summary>The call carries a <c>tail.</c> prefix.</summary>
    TailCall,

    /// <summary>The method returns a byref.</summary>
    RefReturn,

    /// <summary>The method takes <c>__arglist</c>.</summary>
    Varargs,
}
