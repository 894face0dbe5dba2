namespace Gevent.Weaver;

/// <summary>
/// Why the resumable frames leave a call site of a capturable method unlinked (<see cref="SuspensionSite.Unlinked"/>):
/// the analysis finds nothing that pins there, but the weaver cannot make the call suspend stacklessly, so a stackless
/// greenlet reaching a wait through it pins (<c>UnwovenFrame</c> at run time).
/// </summary>
public enum UnlinkedReason
{
    /// <summary>The method itself cannot become a frame: a parameter or local no frame class can hold, or a type parameter that allows ref structs.</summary>
    UnsupportedMethod,

    /// <summary>A delegate's <c>Invoke</c> (or a <c>calli</c>): the method it runs is known at run time only, and may be un-woven.</summary>
    DelegateCall,

    /// <summary>Not a plain <c>call</c> or <c>callvirt</c> (a <c>newobj</c>), or a prefixed one (<c>tail.</c>, <c>constrained.</c> but one that runs a value type's own method).</summary>
    IndirectCall,

    /// <summary>A virtual or interface call with an override in the set that may suspend and is not rewritten (or none rewritten at all).</summary>
    VirtualCallee,

    /// <summary>The callee's assembly could not be found.</summary>
    UnresolvedCallee,

    /// <summary>A blocking call whose cooperative replacement has no resumable form (it waits on the greenlet's thread: sockets, streams, task waits…).</summary>
    CalleeNotResumable,

    /// <summary>A call of a woven method that is not rewritten itself (it pins, is left out, or none of its own sites link).</summary>
    CalleeNotRewritten,

    /// <summary>A value below the call's arguments whose type the weaver does not know for sure (a <c>null</c> literal, paths meeting with different types), so it cannot be spilled.</summary>
    UnknownStackType,

    /// <summary>An argument whose type is not known or is a byref, or a value-type receiver: it cannot be spilled for the resume.</summary>
    UnspillableArgument,
}
