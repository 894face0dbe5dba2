using System.Collections;
using System.Diagnostics;
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
    private const int Count = 20;
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    public static TheoryData<string> Apis() =>
    [
        "Socket.Receive", "Socket.ReceiveFrom", "Socket.Accept", "Socket.Poll", "Socket.Select",
        "GreenNetworkStream.Read", "UdpClient.Receive", "TcpListener.AcceptTcpClient",
    ];

    [Theory]
    [MemberData(nameof(Apis))]
    public void ManyBlockedAtOnceFinishTogetherAndKillOrTimeoutInterruptsOne(string api)
    {
        HubTest.Run(() =>
        {
            var subjects = Enumerable.Range(0, Count).Select(_ => Subject.Create(api)).ToList();
            var extra = Subject.Create(api);
            try
            {
                using (var ticker = new SocketKit.Ticker())
                {
                    var blocked = subjects.Select(s => Greenlet.Spawn(s.Block)).ToList();
                    Greenlet.Yield();
                    Assert.All(blocked, g => Assert.False(g.Dead));
                    var stopwatch = Stopwatch.StartNew();
                    Greenlet.Sleep(Period);
                    subjects.ForEach(s => s.Release());
                    Assert.Equal(Count, Greenlet.JoinAll(blocked, SocketKit.Generous, throwOnError: true).Count);
                    Assert.InRange(stopwatch.Elapsed, Period - TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(10));
                    Assert.True(ticker.Ticks >= 5, $"the ticker ran only {ticker.Ticks} times");
                }

                var cleaned = false;
                var killed = Greenlet.Spawn(() =>
                {
                    try
                    {
                        extra.Block();
                    }
                    finally
                    {
                        cleaned = true;
                    }
                });
                Greenlet.Yield();
                killed.Kill();
                Assert.True(cleaned && killed.Successful);
                Assert.False(GreenTimeout.TryRun(TimeSpan.FromMilliseconds(20), extra.Block));

                var again = Greenlet.Spawn(extra.Block);
                Greenlet.Yield();
                Assert.False(again.Dead);
                extra.Release();
                Assert.True(again.Join(SocketKit.Generous));
                Assert.True(again.Successful, again.Exception?.ToString());
            }
            finally
            {
                subjects.ForEach(s => s.Dispose());
                extra.Dispose();
            }
        });
    }

    /// <summary>One object to block on: <see cref="Block"/> waits until <see cref="Release"/> is called.</summary>
    private sealed class Subject(Action block, Action release, params IDisposable[] resources) : IDisposable
    {
        public Action Block { get; } = block;

        public Action Release { get; } = release;

        public static Subject Create(string api)
        {
            switch (api)
            {
                case "Socket.Receive":
                {
                    var (left, right) = SocketKit.TcpPair();
                    return new(() => SocketPatches.Receive(left, new byte[1]), () => right.Send(new byte[1]), left, right);
                }

                case "Socket.ReceiveFrom":
                {
                    var (left, right) = SocketKit.UdpPair();
                    return new(() =>
                    {
                        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                        SocketPatches.ReceiveFrom(left, new byte[1], ref from);
                    }, () => right.Send(new byte[1]), left, right);
                }

                case "Socket.Accept":
                {
                    var listener = SocketKit.Listener();
                    var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    return new(() => SocketPatches.Accept(listener).Dispose(), () => client.Connect(listener.LocalEndPoint!), listener, client);
                }

                case "Socket.Poll":
                {
                    var (left, right) = SocketKit.TcpPair();
                    return new(() => Assert.True(SocketPatches.Poll(left, -1, SelectMode.SelectRead)), () => right.Send(new byte[1]), left, right);
                }

                case "Socket.Select":
                {
                    var (left, right) = SocketKit.TcpPair();
                    return new(() => SocketPatches.Select(new ArrayList { left }, null, null, -1), () => right.Send(new byte[1]), left, right);
                }

                case "GreenNetworkStream.Read":
                {
                    var (left, right) = SocketKit.TcpPair();
                    var stream = NetworkStreamPatches.Create(left, ownsSocket: true);
                    return new(() => Assert.Equal(1, stream.Read(new byte[1])), () => right.Send(new byte[1]), stream, right);
                }

                case "UdpClient.Receive":
                {
                    var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
                    var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
                    return new(() =>
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
                    return new(() => TcpListenerPatches.AcceptTcpClient(listener).Dispose(), () => client.Connect((IPEndPoint)listener.LocalEndpoint), client, listener);
                }
            }
        }

        public void Dispose()
        {
            foreach (var resource in resources)
            {
                resource.Dispose();
            }
        }
    }
}
