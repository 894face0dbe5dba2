using System.Net;
using System.Net.Sockets;

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="TcpClient"/>'s blocking members, which go through its
/// <see cref="TcpClient.Client"/> socket and <see cref="SocketPatches"/>. (<see cref="TcpClient.GetStream"/>
/// is in <see cref="NetworkStreamPatches"/>.)
/// </summary>
/// <remarks>
/// A cooperative connect leaves the protected <c>TcpClient.Active</c> false: only subclasses can see it,
/// and the public <see cref="TcpClient.Connected"/> reads the socket.
/// </remarks>
public static class TcpClientPatches
{
    /// <summary><see cref="TcpClient(string, int)"/>: creates the client, then connects it (cooperatively in a greenlet), closing it on failure.</summary>
    [Patch(typeof(TcpClient), ".ctor", PatchKind.Constructor, PatchStrategy.NonBlocking)]
    public static TcpClient Create(string hostname, int port)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            return new TcpClient(hostname, port);
        }

        ArgumentNullException.ThrowIfNull(hostname);
        var client = new TcpClient();
        try
        {
            Connect(client, hostname, port);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary><see cref="TcpClient.Connect(IPEndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(TcpClient), nameof(TcpClient.Connect), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static void Connect(TcpClient client, IPEndPoint remoteEP)
    {
        if (remoteEP is null || !Cooperates(client))
        {
            client.Connect(remoteEP!);
            return;
        }

        SocketPatches.Connect(client.Client, remoteEP);
    }

    /// <summary><see cref="TcpClient.Connect(IPAddress, int)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(TcpClient), nameof(TcpClient.Connect), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static void Connect(TcpClient client, IPAddress address, int port)
    {
        if (!Cooperates(client))
        {
            client.Connect(address, port);
            return;
        }

        SocketPatches.Connect(client.Client, address, port);
    }

    /// <summary><see cref="TcpClient.Connect(IPAddress[], int)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(TcpClient), nameof(TcpClient.Connect), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static void Connect(TcpClient client, IPAddress[] ipAddresses, int port)
    {
        if (!Cooperates(client))
        {
            client.Connect(ipAddresses, port);
            return;
        }

        SocketPatches.Connect(client.Client, ipAddresses, port);
    }

    /// <summary><see cref="TcpClient.Connect(string, int)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(TcpClient), nameof(TcpClient.Connect), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static void Connect(TcpClient client, string hostname, int port)
    {
        if (!Cooperates(client))
        {
            client.Connect(hostname, port);
            return;
        }

        SocketPatches.Connect(client.Client, hostname, port);
    }

    /// <summary><see cref="TcpClient.Close"/>, waking greenlets parked on its socket.</summary>
    [NeverWaits]
    [Patch(typeof(TcpClient), nameof(TcpClient.Close), PatchKind.Instance, PatchStrategy.Hub)]
    public static void Close(TcpClient client)
    {
        SocketPatches.NotifyClosing(client.Client);
        client.Close();
    }

    /// <summary><see cref="TcpClient.Dispose()"/>, waking greenlets parked on its socket.</summary>
    [NeverWaits]
    [Patch(typeof(TcpClient), nameof(TcpClient.Dispose), PatchKind.Instance, PatchStrategy.Hub)]
    public static void Dispose(TcpClient client)
    {
        SocketPatches.NotifyClosing(client.Client);
        client.Dispose();
    }

    /// <summary>A client whose socket is gone is left to the original to reject.</summary>
    private static bool Cooperates(TcpClient client) => client.Client is { } socket && CooperativeSocket.ShouldCooperate(socket);
}
