using System.Net;
using System.Net.Sockets;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Sockets;

public class SocketAcceptConnectTests
{
    [Fact]
    public void OutsideAGreenletAcceptAndConnectAreTheOriginals()
    {
        using var listener = SocketKit.Listener();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        SocketPatches.Connect(client, listener.LocalEndPoint!);
        using var accepted = SocketPatches.Accept(listener);
        Assert.True(client.Connected);
        Assert.Equal(client.LocalEndPoint, accepted.RemoteEndPoint);

        using var refused = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.Equal(SocketError.ConnectionRefused, Assert.Throws<SocketException>(() => SocketPatches.Connect(refused, SocketKit.ClosedEndPoint())).SocketErrorCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BadArgumentsAndDisposedSocketsThrowWhatTheBclThrows(bool inGreenlet)
    {
        void Check()
        {
            Socket Fresh() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var a = Fresh();
            using var b = Fresh();
            Parity.SameException(() => a.Connect((EndPoint)null!), () => SocketPatches.Connect(b, (EndPoint)null!));
            Parity.SameException(() => a.Connect((IPAddress)null!, 80), () => SocketPatches.Connect(b, (IPAddress)null!, 80));
            Parity.SameException(() => a.Connect(IPAddress.Loopback, -1), () => SocketPatches.Connect(b, IPAddress.Loopback, -1));
            Parity.SameException(() => a.Connect((string)null!, 80), () => SocketPatches.Connect(b, (string)null!, 80));
            Parity.SameException(() => a.Connect("127.0.0.1", 70000), () => SocketPatches.Connect(b, "127.0.0.1", 70000));
            Parity.SameException(() => a.Connect((IPAddress[])null!, 80), () => SocketPatches.Connect(b, (IPAddress[])null!, 80));
            Parity.SameException(() => a.Connect(Array.Empty<IPAddress>(), 80), () => SocketPatches.Connect(b, Array.Empty<IPAddress>(), 80));
            Parity.SameException(() => a.Connect(new[] { IPAddress.Loopback }, 70000), () => SocketPatches.Connect(b, new[] { IPAddress.Loopback }, 70000));
            Parity.SameException(() => a.Accept(), () => SocketPatches.Accept(b));
            a.Dispose();
            b.Dispose();
            Parity.SameException(() => a.Accept(), () => SocketPatches.Accept(b));
            Parity.SameException(() => a.Connect(SocketKit.ClosedEndPoint()), () => SocketPatches.Connect(b, SocketKit.ClosedEndPoint()));
            Parity.SameException(() => a.Connect((string)null!, 80), () => SocketPatches.Connect(b, (string)null!, 80));
            Parity.SameException(() => a.Connect((IPAddress[])null!, 80), () => SocketPatches.Connect(b, (IPAddress[])null!, 80));
        }

        Parity.Run(inGreenlet, Check);
    }

    [Fact]
    public void InAGreenletAcceptParksUntilAGreenletConnectsAndHandsOutABlockingSocket()
    {
        HubTest.Run(() =>
        {
            using var listener = SocketKit.Listener();
            Socket? accepted = null;
            var acceptor = Greenlet.Spawn(() => accepted = SocketPatches.Accept(listener));
            Greenlet.Yield();
            Assert.False(acceptor.Dead);

            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            SocketPatches.Connect(client, listener.LocalEndPoint!);
            Assert.True(acceptor.Join(SocketKit.Generous));
            using (accepted)
            {
                Assert.True(client.Connected);
                Assert.Equal(listener.LocalEndPoint, client.RemoteEndPoint);
                Assert.Equal(client.LocalEndPoint, accepted!.RemoteEndPoint);
                Assert.True(accepted.Blocking);
                Assert.True(client.Blocking);
                Assert.True(listener.Blocking);
            }
        });
    }

    [Fact]
    public void InAGreenletARefusedConnectThrowsTheBclsError()
    {
        using var bcl = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var expected = Assert.Throws<SocketException>(() => bcl.Connect(SocketKit.ClosedEndPoint())).SocketErrorCode;
        HubTest.Run(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Assert.Equal(expected, Assert.Throws<SocketException>(() => SocketPatches.Connect(socket, SocketKit.ClosedEndPoint())).SocketErrorCode);
        });
    }

    [Fact]
    public void InAGreenletConnectToAnAddressListTriesEachInTurnAndByHostName()
    {
        HubTest.Run(() =>
        {
            using var listener = SocketKit.Listener();
            var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

            // 127.0.0.2 is loopback too, but nothing listens there: refused, then the next address connects.
            using var viaList = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            SocketPatches.Connect(viaList, [IPAddress.Parse("127.0.0.2"), IPAddress.IPv6Loopback, IPAddress.Loopback], port);
            Assert.Equal(listener.LocalEndPoint, viaList.RemoteEndPoint);

            using var viaString = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            SocketPatches.Connect(viaString, "127.0.0.1", port);
            Assert.True(viaString.Connected);

            using var viaAddress = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            SocketPatches.Connect(viaAddress, IPAddress.Loopback, port);
            Assert.True(viaAddress.Connected);

            using var allRefused = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Assert.Equal(SocketError.ConnectionRefused,
                Assert.Throws<SocketException>(() => SocketPatches.Connect(allRefused, [IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")], port)).SocketErrorCode);
        });
    }

    [Fact]
    public void ClosingAListenerWakesABlockedAcceptWithTheBclsError()
    {
        var expected = SocketKit.BclErrorWhenClosedUnder(() => (SocketKit.Listener(), null), s => s.Accept());
        HubTest.Run(() =>
        {
            var listener = SocketKit.Listener();
            SocketError? error = null;
            var acceptor = Greenlet.Spawn(() => error = Assert.Throws<SocketException>(() => SocketPatches.Accept(listener)).SocketErrorCode);
            Greenlet.Yield();
            SocketPatches.Close(listener);
            Assert.True(acceptor.Join(SocketKit.Generous));
            Assert.Equal(expected, error);
        });
    }

    [Fact]
    public void AnEchoServerServesAHundredConcurrentClientsAllInGreenletsOfOneHub()
    {
        HubTest.Run(() =>
        {
            using var listener = SocketKit.Listener(backlog: 128);
            var handlers = new List<Greenlet>();
            var server = Greenlet.Spawn(() =>
            {
                while (true)
                {
                    var connection = SocketPatches.Accept(listener);
                    handlers.Add(Greenlet.Spawn(() =>
                    {
                        using (connection)
                        {
                            var buffer = new byte[256];
                            int n;
                            while ((n = SocketPatches.Receive(connection, buffer)) > 0)
                            {
                                SocketPatches.Send(connection, buffer.AsSpan(0, n));
                            }
                        }
                    }));
                }
            });

            var clients = Enumerable.Range(0, 100).Select(i => Greenlet.Spawn(() =>
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                SocketPatches.Connect(socket, listener.LocalEndPoint!);
                for (var round = 0; round < 5; round++)
                {
                    var message = System.Text.Encoding.ASCII.GetBytes($"client {i} round {round}");
                    SocketPatches.Send(socket, message);
                    var echoed = new byte[message.Length];
                    var total = 0;
                    while (total < echoed.Length)
                    {
                        var n = SocketPatches.Receive(socket, echoed, total, echoed.Length - total, SocketFlags.None);
                        Assert.NotEqual(0, n);
                        total += n;
                    }

                    Assert.Equal(message, echoed);
                }

                socket.Shutdown(SocketShutdown.Send);
                return SocketPatches.Receive(socket, new byte[1]);
            })).ToList();

            Assert.Equal(100, Greenlet.JoinAll(clients, SocketKit.Generous, throwOnError: true).Count);
            Assert.All(clients, c => Assert.Equal(0, c.Get()));
            Assert.Equal(100, Greenlet.JoinAll(handlers, SocketKit.Generous, throwOnError: true).Count);
            server.Kill();
        });
    }
}
