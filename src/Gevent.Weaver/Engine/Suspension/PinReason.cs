namespace Gevent.Weaver;

/// <summary>Why a call site that may suspend cannot have its frame captured: the greenlet pins there (blocks its carrier, as on tier 1).</summary>
public enum PinReason
{
    /// <summary>The call hands a suspendable delegate or state machine to code outside the woven set, whose frame cannot be saved.</summary>
    UnwovenFrame,

    /// <summary>The call invokes code through reflection: the reflection frames between are not woven.</summary>
    Reflection,

    /// <summary>
    /// A byref (a <c>ref</c> local or parameter, or a managed pointer on the evaluation stack) may be live across the call;
    /// a value type's receiver taken from a local of the caller is not one: it is taken again on resume.
    /// </summary>
    ByRef,

    /// <summary>A ref struct (<c>Span&lt;T&gt;</c>…) may be live across the call: it cannot be stored in a heap frame.</summary>
    RefStruct,

    /// <summary>The method uses <c>localloc</c> (<c>stackalloc</c>): stack memory cannot move to the heap.</summary>
    LocalAlloc,

    /// <summary>The method has a pinned local (<c>fixed</c>).</summary>
    PinnedLocal,

    /// <summary>
    /// The call is inside a catch, finally, fault or filter block, which cannot be re-entered: the resumable frames leave
    /// the site unlinked (it pins there if it waits) and still rewrite its method (<see cref="PinReasons.PinsOnlyItsSite"/>).
    /// </summary>
    InsideHandler,

    /// <summary>A monitor is held across the call (inside a <c>lock</c>, or a synchronized method): monitors belong to threads.</summary>
    MonitorHeld,

    /// <summary>The method is an instance constructor: the object is not fully built while it would be suspended.</summary>
    Constructor,

    /// <summary>The method is a static constructor: the runtime runs it under its type-initialisation lock.</summary>
    StaticConstructor,

    /// <summary>The call carries a <c>tail.</c> prefix: the caller's frame is gone when the callee suspends.</summary>
    TailCall,

    /// <summary>The method returns a byref, which cannot be rebuilt for its caller after a resume.</summary>
    RefReturn,

    /// <summary>The method takes a variable argument list (<c>__arglist</c>), which cannot be saved.</summary>
    Varargs,
}
