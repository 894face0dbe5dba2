using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gevent.Servers;

namespace Gevent.Tests.Servers;

/// <summary>A server spread over several hubs by itself (<see cref="StreamServerOptions.Hubs"/>).</summary>
public class StreamServerOnSeveralHubsTests
{
    private static readonly IPEndPoint s_anyLoopbackPort = new(IPAddress.Loopback, 0);

    [Fact]
    public void ByDefault_AServerServesOnGeventHubs_ButOnTheStartingHubWithAPoolOrABoundSocket() => HubTest.Run(() =>
    {
        Assert.Equal(GeventConfig.Current.Hubs, new StreamServer(s_anyLoopbackPort, StreamServerTests.Echo).HubCount);
        Assert.Equal(GeventConfig.Current.Hubs, HttpServer.Create(s_anyLoopbackPort, _ => "ok").HubCount);
        Assert.Equal(1, new StreamServer(s_anyLoopbackPort, StreamServerTests.Echo, new StreamServerOptions { Pool = new Pool(2) }).HubCount);
        using var bound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        bound.Bind(s_anyLoopbackPort);
        Assert.Equal(1, new StreamServer(bound, StreamServerTests.Echo).HubCount);
        Assert.Equal(3, new StreamServer(s_anyLoopbackPort, StreamServerTests.Echo, new StreamServerOptions { Hubs = 3 }).HubCount);
    });

    [Fact]
    public void ConnectionsLandOnEveryHub_AndTheirGreenletsStayThere() => HubTest.Run(() =>
    {
        using var server = new StreamServer(s_anyLoopbackPort, connection =>
        {
            // The hub that accepted, and the hub the handler runs on after a switch.
            var accepted = Hub.Current.Id;
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            connection.Stream.Write([.. BitConverter.GetBytes(accepted), .. BitConverter.GetBytes(Hub.Current.Id)]);
        }, new StreamServerOptions { Hubs = 2 });
        server.Start();

        // The kernel hashes each connection's addresses to a listener: 64 connections all on one is a 2^-63 chance.
        var landed = new List<(int Accepted, int Served)>();
        for (var i = 0; i < 64; i++)
        {
            using var client = new LoopbackClient(server.LocalEndPoint!);
            var reply = new byte[8];
            client.Stream.ReadExactly(reply);
            landed.Add((BitConverter.ToInt32(reply, 0), BitConverter.ToInt32(reply, 4)));
        }

        Assert.All(landed, l => Assert.Equal(l.Accepted, l.Served));
        Assert.Equal(2, landed.Select(l => l.Accepted).Distinct().Count());
        Assert.DoesNotContain(Hub.Current.Id, landed.Select(l => l.Accepted));
    });

    [Fact]
    public void ACpuBoundHandlerOnOneHub_DoesNotDelayAnotherHubsConnections() => HubTest.OnPlainThread(() =>
    {
        // The spin lasts until the other hub has served a connection (at most 30 s), not a fixed time: on a busy
        // machine sixteen connects and replies can take longer than any fixed spin.
        var spinCap = TimeSpan.FromSeconds(30);
        var spinningHub = 0;
        var spinDone = 0;
        var servedDuringSpin = 0;
        var spunFor = TimeSpan.Zero;
        using var server = new StreamServer(s_anyLoopbackPort, connection =>
        {
            var request = new byte[1];
            connection.Stream.ReadExactly(request);
            if (request[0] == (byte)'s')
            {
                Volatile.Write(ref spinningHub, Hub.Current.Id);
                connection.Stream.Write("s"u8);
                var clock = Stopwatch.StartNew();
                while (Volatile.Read(ref servedDuringSpin) == 0 && clock.Elapsed < spinCap)
                {
                    // Never yields: holds this hub for the whole spin.
                }

                spunFor = clock.Elapsed;
                Volatile.Write(ref spinDone, 1);
                return;
            }

            var duringSpin = Volatile.Read(ref spinDone) == 0;
            if (duringSpin)
            {
                Interlocked.Increment(ref servedDuringSpin);
            }

            connection.Stream.Write([.. BitConverter.GetBytes(Hub.Current.Id), (byte)(duringSpin ? 0 : 1)]);
        }, new StreamServerOptions { Hubs = 2 });
        server.Start();

        using var spinner = new TcpClient();
        spinner.Connect((IPEndPoint)server.LocalEndPoint!);
        spinner.GetStream().Write("s"u8);
        Assert.Equal('s', spinner.GetStream().ReadByte());

        // Sixteen connections at once while one hub spins: all on the spinning hub is a 2^-16 chance.
        async Task<(int Hub, bool DuringSpin)> Ping()
        {
            using var client = new TcpClient();
            await client.ConnectAsync((IPEndPoint)server.LocalEndPoint!);
            await client.GetStream().WriteAsync("p"u8.ToArray());
            var reply = new byte[5];
            await client.GetStream().ReadExactlyAsync(reply);
            return (BitConverter.ToInt32(reply, 0), reply[4] == 0);
        }

        var pings = Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Ping()));
        Assert.True(pings.Wait(TimeSpan.FromSeconds(60)), "the pings were not answered");
        var (onSpinningHub, onTheOther) = (pings.Result.Where(p => p.Hub == spinningHub).ToList(), pings.Result.Where(p => p.Hub != spinningHub).ToList());

        Assert.NotEmpty(onTheOther);
        Assert.True(spunFor < spinCap, "no connection was served on the other hub while one hub spun");
        Assert.Contains(onTheOther, p => p.DuringSpin);
        Assert.All(onSpinningHub, p => Assert.False(p.DuringSpin, "a connection on the spinning hub was served during its spin"));
    });

    [Fact]
    public void Stop_FromAnotherHub_EndsHandlersParkedOnEveryHub_WhileThatHubKeepsRunning() => HubTest.Run(() =>
    {
        var unwound = 0;
        using var server = new StreamServer(s_anyLoopbackPort, connection =>
        {
            try
            {
                connection.Stream.Write(BitConverter.GetBytes(Hub.Current.Id));
                Greenlet.Sleep(Timeout.InfiniteTimeSpan);
            }
            finally
            {
                Interlocked.Increment(ref unwound);
            }
        }, new StreamServerOptions { Hubs = 2 });
        server.Start();
        var endPoint = server.LocalEndPoint!;

        var clients = Enumerable.Range(0, 16).Select(_ => new LoopbackClient(endPoint)).ToList();
        var hubs = clients.Select(client =>
        {
            var id = new byte[4];
            client.Stream.ReadExactly(id);
            return BitConverter.ToInt32(id);
        }).ToList();
        Assert.Equal(2, hubs.Distinct().Count());
        Assert.Equal(16, server.ConnectionCount);

        using var ticker = new Ticker();
        server.Stop(TimeSpan.FromMilliseconds(300));

        ticker.AssertKeptRunning("while the server's hubs stopped");
        Assert.Equal(16, Volatile.Read(ref unwound));
        Assert.Equal(0, server.ConnectionCount);
        Assert.False(server.IsRunning);
        Assert.All(clients, client => Assert.Equal(string.Empty, client.ReceiveToEnd()));
        Assert.ThrowsAny<SocketException>(() => new LoopbackClient(endPoint));
        clients.ForEach(client => client.Dispose());
    });

    [Fact]
    public void APortTakenByAnotherSocket_FailsTheStart_AndTheServerCanStartOnceFreed() => HubTest.Run(() =>
    {
        // A listener without SO_REUSEPORT: no other socket may bind its port.
        var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(s_anyLoopbackPort);
        holder.Listen();
        var endPoint = (IPEndPoint)holder.LocalEndPoint!;
        using var server = new StreamServer(endPoint, StreamServerTests.Echo, new StreamServerOptions { Hubs = 2 });

        var refused = Assert.Throws<SocketException>(server.Start);
        Assert.Equal(SocketError.AddressAlreadyInUse, refused.SocketErrorCode);
        Assert.False(server.IsRunning);

        holder.Dispose();
        server.Start();
        using var client = new LoopbackClient(endPoint);
        client.Send("again");
        Assert.Equal("again", client.Receive(5));
    });

    [Fact]
    public void Stop_FromAHandlerOfAServerOnSeveralHubs_IsRefusedClearly() => HubTest.Run(() =>
    {
        StreamServer? server = null;
        var refusal = new CrossHubQueue<string>();
        server = new StreamServer(s_anyLoopbackPort, connection =>
        {
            try
            {
                server!.Stop();
                refusal.Put("not refused");
            }
            catch (InvalidOperationException e)
            {
                refusal.Put(e.Message);
            }
        }, new StreamServerOptions { Hubs = 2 });
        using (server)
        {
            server.Start();
            using var client = new LoopbackClient(server.LocalEndPoint!);
            Assert.Contains("would wait for itself", refusal.Get());
        }
    });
}
