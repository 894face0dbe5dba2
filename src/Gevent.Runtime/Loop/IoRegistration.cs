using System.Net.Sockets;

namespace Gevent.Loop;

/// <summary>
/// One socket known to the loop: at most one read watcher and one write watcher, as in libev.
/// The backend keeps the kernel's interest equal to <see cref="Interest"/>.
/// </summary>
internal sealed class IoRegistration(Socket socket, int slot)
{
    public Socket Socket { get; } = socket;

    /// <summary>Index in the loop's registration table; the epoll backend stores it as the event's data.</summary>
    public int Slot { get; } = slot;

    public IoWatcher? Reader { get; set; }

    public IoWatcher? Writer { get; set; }

    /// <summary>What the backend currently asks the kernel for: at least <see cref="Interest"/>, more while <see cref="Stale"/>.</summary>
    public IoEvents Registered { get; set; }

    /// <summary>A watcher stopped since the last poll; the loop updates the kernel before the next one.</summary>
    public bool Stale { get; set; }

    public IoEvents Interest =>
        (Reader is null ? IoEvents.None : IoEvents.Read) | (Writer is null ? IoEvents.None : IoEvents.Write);
}
