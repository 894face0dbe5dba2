using System.Collections;
using System.Net;
using System.Net.Sockets;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Sockets;

/// <summary>
/// For each blocking API: twenty greenlets blocked in it at once all finish about one period after they are
/// released together while another greenlet keeps ticking; a kill and a timeout interrupt it, and the same
/// object can be waited on again afterwards (the interrupted waits removed their watchers).
/// </summary>
public class BlockedAtOnceTests
{
    public static TheoryData<string> Apis() =>
    [
        "Socket.Receive", "Socket.ReceiveFrom", "Socket.Accept", "Socket.Poll", "Socket.Select",
        "GreenNetworkStream.Read", "UdpClient.Receive", "TcpListener.AcceptTcpClient",
    ];

    [Theory]
    [MemberData(nameof(Apis))]
    public void ManyBlockedAtOnceFinishTogetherAndKillOrTimeoutInterruptsOne(string api) => BlockedAtOnce.Check(() => Create(api));

    private static BlockedAtOnce.Subject Create(string api)
    {
        switch (api)
        {
            case "Socket.Receive":
            {
                var (left, right) = SocketKit.TcpPair();
                return new BlockedAtOnce.Subject(() => SocketPatches.Receive(left, new byte[1]), () => right.Send(new byte[1]), left, right);
            }

            case "Socket.ReceiveFrom":
            {
                var (left, right) = SocketKit.UdpPair();
                return new BlockedAtOnce.Subject(() =>
                {
                    EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                    SocketPatches.ReceiveFrom(left, new byte[1], ref from);
                }, () => right.Send(new byte[1]), left, right);
            }

            case "Socket.Accept":
            {
                var listener = SocketKit.Listener();
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                return new BlockedAtOnce.Subject(() => SocketPatches.Accept(listener).Dispose(), () => client.Connect(listener.LocalEndPoint!), listener, client);
            }

            case "Socket.Poll":
            {
                var (left, right) = SocketKit.TcpPair();
                return new BlockedAtOnce.Subject(() => Assert.True(SocketPatches.Poll(left, -1, SelectMode.SelectRead)), () => right.Send(new byte[1]), left, right);
            }

            case "Socket.Select":
            {
                var (left, right) = SocketKit.TcpPair();
                return new BlockedAtOnce.Subject(() => SocketPatches.Select(new ArrayList { left }, null, null, -1), () => right.Send(new byte[1]), left, right);
            }

            case "GreenNetworkStream.Read":
            {
                var (left, right) = SocketKit.TcpPair();
                var stream = NetworkStreamPatches.Create(left, ownsSocket: true);
                return new BlockedAtOnce.Subject(() => Assert.Equal(1, stream.Read(new byte[1])), () => right.Send(new byte[1]), stream, right);
            }

            case "UdpClient.Receive":
            {
                var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
                var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
                return new BlockedAtOnce.Subject(() =>
                {
                    IPEndPoint? from = null;
                    UdpClientPatches.Receive(client, ref from);
                }, () => sender.Send([1], 1, (IPEndPoint)client.Client.LocalEndPoint!), client, sender);
            }

            default:
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var client = new TcpClient();
                return new BlockedAtOnce.Subject(() => TcpListenerPatches.AcceptTcpClient(listener).Dispose(), () => client.Connect((IPEndPoint)listener.LocalEndpoint), client, listener);
            }
        }
    }
}
