using System.Net;
using System.Net.Sockets;

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="UdpClient"/>'s blocking members. Each runs the original against
/// its <see cref="UdpClient.Client"/> socket made non-blocking, so the client's own checks are the BCL's.
/// </summary>
public static class UdpClientPatches
{
    /// <summary><see cref="UdpClient.Receive"/>: in a greenlet, parks until a datagram arrives; honours the socket's <c>ReceiveTimeout</c>.</summary>
    [Patch(typeof(UdpClient), nameof(UdpClient.Receive), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static byte[] Receive(UdpClient client, ref IPEndPoint? remoteEP)
    {
        if (!Cooperates(client))
        {
            return client.Receive(ref remoteEP);
        }

        var state = new Receiving(client, ref remoteEP);
        var datagram = CooperativeSocket.Run(client.Client, SocketOperation.Receive, ref state, static (Socket _, ref Receiving r, out SocketError e) =>
        {
            e = SocketError.Success;
            return r.Client.Receive(ref r.RemoteEP);
        }, out var error);
        CooperativeSocket.ThrowIfFailed(error);
        return datagram;
    }

    /// <summary><see cref="UdpClient.Send(byte[], int)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(UdpClient), nameof(UdpClient.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Send(UdpClient client, byte[] dgram, int bytes) =>
        Cooperates(client) ? SendThrough(client, c => c.Send(dgram, bytes)) : client.Send(dgram, bytes);

    /// <summary><see cref="UdpClient.Send(byte[], int, IPEndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(UdpClient), nameof(UdpClient.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Send(UdpClient client, byte[] dgram, int bytes, IPEndPoint? endPoint) =>
        Cooperates(client) ? SendThrough(client, c => c.Send(dgram, bytes, endPoint)) : client.Send(dgram, bytes, endPoint);

    /// <summary><see cref="UdpClient.Send(byte[], int, string, int)"/>, cooperative in a greenlet (the host name resolved by <see cref="DnsPatches"/>).</summary>
    [Patch(typeof(UdpClient), nameof(UdpClient.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Send(UdpClient client, byte[] dgram, int bytes, string? hostname, int port)
    {
        if (!Cooperates(client))
        {
            return client.Send(dgram, bytes, hostname, port);
        }

        return Resolve(client, hostname, port) is { } endPoint
            ? Send(client, dgram, bytes, endPoint)
            : SendThrough(client, c => c.Send(dgram, bytes, hostname, port));
    }

    /// <summary><see cref="UdpClient.Send(ReadOnlySpan{byte})"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(UdpClient), nameof(UdpClient.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Send(UdpClient client, ReadOnlySpan<byte> datagram) =>
        Cooperates(client) ? Send(client, new Sending(client, datagram, SpanOverload.Connected, null, null, 0)) : client.Send(datagram);

    /// <summary><see cref="UdpClient.Send(ReadOnlySpan{byte}, IPEndPoint)"/>, cooperative in a greenlet.</summary>
    [Patch(typeof(UdpClient), nameof(UdpClient.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Send(UdpClient client, ReadOnlySpan<byte> datagram, IPEndPoint? endPoint) =>
        Cooperates(client) ? Send(client, new Sending(client, datagram, SpanOverload.EndPoint, endPoint, null, 0)) : client.Send(datagram, endPoint);

    /// <summary><see cref="UdpClient.Send(ReadOnlySpan{byte}, string, int)"/>, cooperative in a greenlet (the host name resolved by <see cref="DnsPatches"/>).</summary>
    [Patch(typeof(UdpClient), nameof(UdpClient.Send), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int Send(UdpClient client, ReadOnlySpan<byte> datagram, string? hostname, int port)
    {
        if (!Cooperates(client))
        {
            return client.Send(datagram, hostname, port);
        }

        return Resolve(client, hostname, port) is { } endPoint
            ? Send(client, datagram, endPoint)
            : Send(client, new Sending(client, datagram, SpanOverload.Host, null, hostname, port));
    }

    /// <summary><see cref="UdpClient.Close"/>, waking greenlets parked on its socket.</summary>
    [NeverWaits]
    [Patch(typeof(UdpClient), nameof(UdpClient.Close), PatchKind.Instance, PatchStrategy.Hub)]
    public static void Close(UdpClient client)
    {
        SocketPatches.NotifyClosing(client.Client);
        client.Close();
    }

    /// <summary><see cref="UdpClient.Dispose()"/>, waking greenlets parked on its socket.</summary>
    [NeverWaits]
    [Patch(typeof(UdpClient), nameof(UdpClient.Dispose), PatchKind.Instance, PatchStrategy.Hub)]
    public static void Dispose(UdpClient client)
    {
        SocketPatches.NotifyClosing(client.Client);
        client.Dispose();
    }

    private static bool Cooperates(UdpClient client) => client.Client is { } socket && CooperativeSocket.ShouldCooperate(socket);

    /// <summary>
    /// The host overloads' lookup, through <see cref="DnsPatches"/>: the first address the client's socket can reach,
    /// as the BCL picks it. Null where the original resolves nothing or throws first (no host, port 0, an
    /// address literal, a connected client): the original overload then runs.
    /// </summary>
    private static IPEndPoint? Resolve(UdpClient client, string? hostname, int port)
    {
        var socket = client.Client;
        if (hostname is null || port == 0 || socket.Connected || IPAddress.TryParse(hostname, out _))
        {
            return null;
        }

        var address = DnsPatches.GetHostAddresses(hostname).FirstOrDefault(a => SocketPatches.CanTry(socket, a));
        return address is null
            ? throw new ArgumentException("None of the discovered or specified addresses match the socket address family.", nameof(hostname))
            : new IPEndPoint(address, port);
    }

    private static int SendThrough(UdpClient client, Func<UdpClient, int> send) =>
        CooperativeSocket.RunThrowing(client.Client, SocketOperation.Send, _ => send(client));

    /// <summary>The span overloads, which a lambda cannot capture: the datagram travels in a ref struct state.</summary>
    private static int Send(UdpClient client, Sending state)
    {
        var sent = CooperativeSocket.Run(client.Client, SocketOperation.Send, ref state, static (Socket _, ref Sending s, out SocketError e) =>
        {
            e = SocketError.Success;
            return s.Overload switch
            {
                SpanOverload.Connected => s.Client.Send(s.Datagram),
                SpanOverload.EndPoint => s.Client.Send(s.Datagram, s.EndPoint),
                _ => s.Client.Send(s.Datagram, s.Hostname, s.Port),
            };
        }, out var error);
        CooperativeSocket.ThrowIfFailed(error);
        return sent;
    }

    private ref struct Receiving(UdpClient client, ref IPEndPoint? remoteEP)
    {
        public readonly UdpClient Client = client;
        public ref IPEndPoint? RemoteEP = ref remoteEP;
    }

    private enum SpanOverload
    {
        Connected,
        EndPoint,
        Host,
    }

    private readonly ref struct Sending(UdpClient client, ReadOnlySpan<byte> datagram, SpanOverload overload, IPEndPoint? endPoint, string? hostname, int port)
    {
        public readonly UdpClient Client = client;
        public readonly ReadOnlySpan<byte> Datagram = datagram;
        public readonly SpanOverload Overload = overload;
        public readonly IPEndPoint? EndPoint = endPoint;
        public readonly string? Hostname = hostname;
        public readonly int Port = port;
    }
}
