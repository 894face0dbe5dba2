namespace Gevent.Weaver;

/// <summary>How a call site may reach a blocking point.</summary>
public enum SuspensionSiteKind
{
    /// <summary>A blocking call the catalog rewrote to its cooperative replacement: where the greenlet suspends.</summary>
    BlockingCall,

    /// <summary>A call (or <c>newobj</c>) of a suspendable method of the woven set, virtual calls resolved to every override.</summary>
    WovenCall,

    /// <summary>A delegate's <c>Invoke</c> (or a <c>calli</c>) that may reach a suspendable method whose address is taken in the woven set.</summary>
    DelegateCall,

    /// <summary>A call into code outside the woven set that may call back into a suspendable woven method.</summary>
    UnwovenCallback,

    /// <summary>A reflection invocation (<c>MethodBase.Invoke</c>, <c>DynamicInvoke</c>…), which may reach any method.</summary>
    Reflection,
}
