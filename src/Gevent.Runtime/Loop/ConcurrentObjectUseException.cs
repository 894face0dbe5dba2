namespace Gevent;

/// <summary>
/// Two greenlets tried to wait for the same readiness of one socket at once (for example, both
/// reading it). As in gevent, a socket has one reader and one writer at a time.
/// </summary>
public sealed class ConcurrentObjectUseException : InvalidOperationException
{
    /// <summary>Creates the exception with a message naming the conflict.</summary>
    public ConcurrentObjectUseException(string message)
        : base(message)
    {
    }
}
