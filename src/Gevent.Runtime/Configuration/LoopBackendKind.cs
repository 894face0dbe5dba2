namespace Gevent;

/// <summary>Which OS poller a hub's event loop uses (<c>GEVENT_LOOP</c>).</summary>
public enum LoopBackendKind
{
    /// <summary>Linux epoll with an eventfd for wake-ups. The default on Linux.</summary>
    Epoll,

    /// <summary>Portable: <c>Socket.Select</c> and a loopback wake-up socket. The default elsewhere.</summary>
    Select,
}
