using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// Makes the <see cref="NetworkStream"/>s patched code creates <see cref="GreenNetworkStream"/>s. They are
/// returned outside greenlets too: they behave as plain streams there, and a stream made before the hub
/// started still cooperates once used in a greenlet.
/// </summary>
public static class NetworkStreamPatches
{
    private static readonly ConditionalWeakTable<TcpClient, GreenNetworkStream> s_streams = [];

    /// <summary><see cref="NetworkStream(Socket)"/> → <see cref="GreenNetworkStream(Socket)"/>.</summary>
    [Patch(typeof(NetworkStream), ".ctor", PatchKind.Constructor, PatchStrategy.NonBlocking)]
    public static NetworkStream Create(Socket socket) => new GreenNetworkStream(socket);

    /// <summary><see cref="NetworkStream(Socket, bool)"/> → <see cref="GreenNetworkStream(Socket, bool)"/>.</summary>
    [Patch(typeof(NetworkStream), ".ctor", PatchKind.Constructor, PatchStrategy.NonBlocking)]
    public static NetworkStream Create(Socket socket, bool ownsSocket) => new GreenNetworkStream(socket, ownsSocket);

    /// <summary><see cref="NetworkStream(Socket, FileAccess)"/> → <see cref="GreenNetworkStream(Socket, FileAccess)"/>.</summary>
    [Patch(typeof(NetworkStream), ".ctor", PatchKind.Constructor, PatchStrategy.NonBlocking)]
    public static NetworkStream Create(Socket socket, FileAccess access) => new GreenNetworkStream(socket, access);

    /// <summary><see cref="NetworkStream(Socket, FileAccess, bool)"/> → <see cref="GreenNetworkStream(Socket, FileAccess, bool)"/>.</summary>
    [Patch(typeof(NetworkStream), ".ctor", PatchKind.Constructor, PatchStrategy.NonBlocking)]
    public static NetworkStream Create(Socket socket, FileAccess access, bool ownsSocket) => new GreenNetworkStream(socket, access, ownsSocket);

    /// <summary>
    /// <see cref="TcpClient.GetStream"/> → one <see cref="GreenNetworkStream"/> per client, the same on every
    /// call, owning the socket as the BCL's does.
    /// </summary>
    [Patch(typeof(TcpClient), nameof(TcpClient.GetStream), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static NetworkStream GetStream(TcpClient client)
    {
        // The original runs first for its checks (disposed, not connected) and keeps its own stream, which the
        // client disposes with itself, closing the shared socket just as the BCL's would.
        client.GetStream();
        return s_streams.GetValue(client, static c => new GreenNetworkStream(c.Client, ownsSocket: true));
    }
}
