using System.Net;
using System.Net.Sockets;
using Gevent.Servers;

namespace Gevent.Tests.Servers;

public class StreamServerOnSeveralHubsTests
{
    [Fact]
    public void ServersOnEveryHubOnOnePort_ReceiveConnectionsOnEveryHub_WhichStayThere() => HubTest.OnPlainThread(() =>
    {
        using var group = HubGroup.Start(2);

        // Each connection reports the hub that accepted it and the hub its handler ran on.
        void Handler(ServerConnection connection)
        {
            var accepted = Hub.Current.Id;
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            connection.Stream.Write(BitConverter.GetBytes(accepted).Concat(BitConverter.GetBytes(Hub.Current.Id)).ToArray());
        }

        StreamServer StartOn(int hub, int port) => group.SpawnAsync(hub, () =>
        {
            var server = new StreamServer(new IPEndPoint(IPAddress.Loopback, port), Handler);
            server.Start();
            return server;
        }).Result;

        var first = StartOn(0, 0);
        var port = ((IPEndPoint)first.LocalEndPoint!).Port;
        var second = StartOn(1, port);

        // The kernel hashes each connection's address to a listener: 64 connections all on one is a 2^-63 chance.
        var landed = new List<(int Accepted, int Served)>();
        for (var i = 0; i < 64; i++)
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            var reply = new byte[8];
            client.GetStream().ReadExactly(reply);
            landed.Add((BitConverter.ToInt32(reply, 0), BitConverter.ToInt32(reply, 4)));
        }

        Assert.All(landed, l => Assert.Equal(l.Accepted, l.Served));
        Assert.Equal(group.Hubs.Select(h => h.Id).Order(), landed.Select(l => l.Accepted).Distinct().Order());
        group.SpawnAsync(0, first.Dispose).Wait();
        group.SpawnAsync(1, second.Dispose).Wait();
    });
}
