using System.Net.Sockets;

namespace Gevent.Loop;

/// <summary>Calls back when a socket becomes readable or writable (or fails, which wakes both).</summary>
internal sealed class IoWatcher(Socket socket, IoEvents events, Action<object?> callback, object? state)
{
    public Socket Socket { get; } = socket;

    /// <summary><see cref="IoEvents.Read"/> or <see cref="IoEvents.Write"/>.</summary>
    public IoEvents Events { get; } = events;

    public Action<object?> Callback { get; } = callback;

    public object? State { get; } = state;

    /// <summary>
    /// The greenlet waiting through this watcher, named in errors about concurrent use. The greenlet, not
    /// its description: that is needed only for the error, and a string per wait would be garbage.
    /// </summary>
    public Greenlet? Owner { get; init; }

    public IoRegistration? Registration { get; set; }

    public bool Active => Registration is not null;
}
