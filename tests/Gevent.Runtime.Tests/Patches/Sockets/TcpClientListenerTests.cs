using System.Net;
using System.Net.Sockets;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Sockets;

public class TcpClientListenerTests
{
    [Fact]
    public void OutsideAGreenletTheyAreTheOriginals()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        Parity.SameException(() => listener.AcceptSocket(), () => TcpListenerPatches.AcceptSocket(listener));
        Parity.SameException(() => listener.AcceptTcpClient(), () => TcpListenerPatches.AcceptTcpClient(listener));
        listener.Start();
        try
        {
            var endPoint = (IPEndPoint)listener.LocalEndpoint;
            using var client = TcpClientPatches.Create("127.0.0.1", endPoint.Port);
            using var accepted = TcpListenerPatches.AcceptTcpClient(listener);
            Assert.True(client.Connected);
            using var other = new TcpClient();
            Parity.SameException(() => new TcpClient().Connect((IPEndPoint)null!), () => TcpClientPatches.Connect(other, (IPEndPoint)null!));
            Parity.SameException(() => new TcpClient().Connect((string)null!, 1), () => TcpClientPatches.Connect(other, (string)null!, 1));
            Parity.SameException(() => new TcpClient("127.0.0.1", ((IPEndPoint)SocketKit.ClosedEndPoint()).Port), () => TcpClientPatches.Create("127.0.0.1", ((IPEndPoint)SocketKit.ClosedEndPoint()).Port));
        }
        finally
        {
            TcpListenerPatches.Stop(listener);
        }
    }

    [Fact]
    public void InAGreenletEveryConnectAndAcceptParksOnlyItsGreenlet()
    {
        HubTest.Run(() =>
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            Parity.SameException(() => listener.AcceptSocket(), () => TcpListenerPatches.AcceptSocket(listener));
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var accepted = new List<IDisposable>();
            var acceptor = Greenlet.Spawn(() =>
            {
                for (var i = 0; i < 5; i++)
                {
                    accepted.Add(i % 2 == 0 ? TcpListenerPatches.AcceptTcpClient(listener) : TcpListenerPatches.AcceptSocket(listener));
                }
            });
            Greenlet.Yield();
            Assert.False(acceptor.Dead);

            var clients = new List<TcpClient> { TcpClientPatches.Create("127.0.0.1", port) };
            foreach (var connect in new Action<TcpClient>[]
            {
                c => TcpClientPatches.Connect(c, new IPEndPoint(IPAddress.Loopback, port)),
                c => TcpClientPatches.Connect(c, IPAddress.Loopback, port),
                c => TcpClientPatches.Connect(c, [IPAddress.Loopback], port),
                c => TcpClientPatches.Connect(c, "localhost", port),
            })
            {
                var client = new TcpClient();
                connect(client);
                clients.Add(client);
            }

            Assert.True(acceptor.Join(SocketKit.Generous));
            Assert.All(clients, c => Assert.True(c.Connected));
            Assert.All(accepted, a => Assert.True(a is TcpClient c ? c.Client.Blocking : ((Socket)a).Blocking));
            foreach (var d in clients.Cast<IDisposable>().Concat(accepted))
            {
                d.Dispose();
            }

            var waiting = Greenlet.Spawn(() => TcpListenerPatches.AcceptSocket(listener));
            Greenlet.Yield();
            TcpListenerPatches.Stop(listener);
            Assert.True(waiting.Join(SocketKit.Generous), "stopping the listener did not wake the accept");
            Assert.IsType<SocketException>(waiting.Exception);
        });
    }

    [Fact]
    public void ClosingATcpClientWakesAGreenletReadingItsStream()
    {
        HubTest.Run(() =>
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var client = new TcpClient();
            TcpClientPatches.Connect(client, (IPEndPoint)listener.LocalEndpoint);
            using var server = TcpListenerPatches.AcceptTcpClient(listener);
            var stream = NetworkStreamPatches.GetStream(client);
            var reader = Greenlet.Spawn(() => stream.Read(new byte[4]));
            Greenlet.Yield();
            Assert.False(reader.Dead);
            TcpClientPatches.Close(client);
            Assert.True(reader.Join(SocketKit.Generous), "closing the client did not wake its reader");
            Assert.IsType<IOException>(reader.Exception);
            TcpListenerPatches.Dispose(listener);
        });
    }
}
