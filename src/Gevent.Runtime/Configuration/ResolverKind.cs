namespace Gevent;

/// <summary>How the DNS replacements resolve host names in greenlets (<c>GEVENT_RESOLVER</c>, gevent's resolver setting).</summary>
public enum ResolverKind
{
    /// <summary>Run the BCL's blocking lookup on the hub's thread pool and park the greenlet meanwhile. The default.</summary>
    Thread,

    /// <summary>Call the BCL's lookup directly, blocking the hub while it runs.</summary>
    Block,
}
