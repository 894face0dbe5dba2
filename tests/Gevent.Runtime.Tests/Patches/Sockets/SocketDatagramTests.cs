using System.Net;
using System.Net.Sockets;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Sockets;

public class SocketDatagramTests
{
    /// <summary>Every ReceiveFrom overload, receiving into the whole buffer; the sender's endpoint comes back through <c>from</c>.</summary>
    private static readonly Dictionary<string, Func<Socket, byte[], (int Count, EndPoint From)>> s_receivers = new()
    {
        ["byte[], ref"] = (s, b) => { EndPoint from = Any(); return (SocketPatches.ReceiveFrom(s, b, ref from), from); },
        ["byte[], flags, ref"] = (s, b) => { EndPoint from = Any(); return (SocketPatches.ReceiveFrom(s, b, SocketFlags.None, ref from), from); },
        ["byte[], size, flags, ref"] = (s, b) => { EndPoint from = Any(); return (SocketPatches.ReceiveFrom(s, b, b.Length, SocketFlags.None, ref from), from); },
        ["byte[], offset, size, flags, ref"] = (s, b) => { EndPoint from = Any(); return (SocketPatches.ReceiveFrom(s, b, 0, b.Length, SocketFlags.None, ref from), from); },
        ["span, ref"] = (s, b) => { EndPoint from = Any(); return (SocketPatches.ReceiveFrom(s, b.AsSpan(), ref from), from); },
        ["span, flags, ref"] = (s, b) => { EndPoint from = Any(); return (SocketPatches.ReceiveFrom(s, b.AsSpan(), SocketFlags.None, ref from), from); },
        ["span, flags, address"] = (s, b) =>
        {
            var address = new SocketAddress(AddressFamily.InterNetwork);
            var count = SocketPatches.ReceiveFrom(s, b.AsSpan(), SocketFlags.None, address);
            return (count, Any().Create(address));
        },
    };

    /// <summary>Every SendTo overload, sending the whole buffer to <c>to</c>.</summary>
    private static readonly Dictionary<string, Func<Socket, byte[], EndPoint, int>> s_senders = new()
    {
        ["byte[], ep"] = (s, b, to) => SocketPatches.SendTo(s, b, to),
        ["byte[], flags, ep"] = (s, b, to) => SocketPatches.SendTo(s, b, SocketFlags.None, to),
        ["byte[], size, flags, ep"] = (s, b, to) => SocketPatches.SendTo(s, b, b.Length, SocketFlags.None, to),
        ["byte[], offset, size, flags, ep"] = (s, b, to) => SocketPatches.SendTo(s, b, 0, b.Length, SocketFlags.None, to),
        ["span, ep"] = (s, b, to) => SocketPatches.SendTo(s, (ReadOnlySpan<byte>)b, to),
        ["span, flags, ep"] = (s, b, to) => SocketPatches.SendTo(s, (ReadOnlySpan<byte>)b, SocketFlags.None, to),
        ["span, flags, address"] = (s, b, to) => SocketPatches.SendTo(s, (ReadOnlySpan<byte>)b, SocketFlags.None, to.Serialize()),
    };

    public static IEnumerable<object[]> Pairs => s_receivers.Keys.Zip(s_senders.Keys, (r, s) => new object[] { r, s });

    [Theory]
    [MemberData(nameof(Pairs))]
    public void OutsideAGreenletEachOverloadIsTheOriginal(string receiver, string sender)
    {
        var (left, right) = SocketKit.UdpPair();
        using (left)
        using (right)
        {
            Assert.Equal(3, s_senders[sender](left, [1, 2, 3], right.LocalEndPoint!));
            var buffer = new byte[8];
            var (count, from) = s_receivers[receiver](right, buffer);
            Assert.Equal(3, count);
            Assert.Equal(left.LocalEndPoint, from);
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void InAGreenletEachReceiveFromParksUntilADatagramArrives(string receiver, string sender)
    {
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.UdpPair();
            using (left)
            using (right)
            {
                var buffer = new byte[8];
                (int Count, EndPoint From) got = default;
                var reader = Greenlet.Spawn(() => got = s_receivers[receiver](right, buffer));
                Greenlet.Yield();
                Assert.False(reader.Dead);
                Assert.Equal(3, s_senders[sender](left, [4, 5, 6], right.LocalEndPoint!));
                Assert.True(reader.Join(SocketKit.Generous));
                Assert.Equal(3, got.Count);
                Assert.Equal(left.LocalEndPoint, got.From);
            }
        }, timeoutSeconds: 30);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BadArgumentsThrowWhatTheBclThrows(bool inGreenlet)
    {
        void Check()
        {
            var (left, right) = SocketKit.UdpPair();
            using (right)
            {
                EndPoint from = Any();
                EndPoint nullEndPoint = null!;
                var buffer = new byte[4];
                Parity.SameException(() => left.ReceiveFrom(null!, ref from), () => SocketPatches.ReceiveFrom(left, null!, ref from));
                Parity.SameException(() => left.ReceiveFrom(buffer, ref nullEndPoint), () => SocketPatches.ReceiveFrom(left, buffer, ref nullEndPoint));
                Parity.SameException(() => left.ReceiveFrom(buffer, 3, 4, SocketFlags.None, ref from), () => SocketPatches.ReceiveFrom(left, buffer, 3, 4, SocketFlags.None, ref from));
                Parity.SameException(() => left.SendTo(buffer, null!), () => SocketPatches.SendTo(left, buffer, null!));
                Parity.SameException(() => left.SendTo(null!, right.LocalEndPoint!), () => SocketPatches.SendTo(left, null!, right.LocalEndPoint!));
                left.Dispose();
                Parity.SameException(() => left.ReceiveFrom(buffer, ref from), () => SocketPatches.ReceiveFrom(left, buffer, ref from));
                Parity.SameException(() => left.SendTo(buffer, right.LocalEndPoint!), () => SocketPatches.SendTo(left, buffer, right.LocalEndPoint!));
            }
        }

        Parity.Run(inGreenlet, Check);
    }

    [Fact]
    public void ReceiveTimeoutAndCloseEndAReceiveFromWithTheBclsErrors()
    {
        var closed = SocketKit.BclErrorWhenClosedUnder(SocketKit.UdpPair, s =>
        {
            EndPoint from = Any();
            s.ReceiveFrom(new byte[4], ref from);
        });
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.UdpPair();
            using (right)
            {
                left.ReceiveTimeout = 50;
                EndPoint from = Any();
                Assert.Equal(SocketError.TimedOut, Assert.Throws<SocketException>(() => SocketPatches.ReceiveFrom(left, new byte[4], ref from)).SocketErrorCode);

                left.ReceiveTimeout = 0;
                SocketError? error = null;
                var reader = Greenlet.Spawn(() =>
                {
                    EndPoint source = Any();
                    error = Assert.Throws<SocketException>(() => SocketPatches.ReceiveFrom(left, new byte[4], ref source)).SocketErrorCode;
                });
                Greenlet.Yield();
                SocketPatches.Dispose((IDisposable)left);
                Assert.True(reader.Join(SocketKit.Generous));
                Assert.Equal(closed, error);
            }
        });
    }

    [Fact]
    public void UdpClientReceiveParksAndSendWorksInBothModes()
    {
        using (var a = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        using (var b = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            Assert.Equal(2, UdpClientPatches.Send(a, [1, 2], 2, (IPEndPoint)b.Client.LocalEndPoint!));
            IPEndPoint? from = null;
            Assert.Equal(new byte[] { 1, 2 }, UdpClientPatches.Receive(b, ref from));
            Assert.Equal(a.Client.LocalEndPoint, from);
            Parity.SameException(() => a.Send(null!, 1), () => UdpClientPatches.Send(a, null!, 1));
        }

        HubTest.Run(() =>
        {
            using var server = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var serverEndPoint = (IPEndPoint)server.Client.LocalEndPoint!;
            var received = new List<byte[]>();
            var reader = Greenlet.Spawn(() =>
            {
                for (var i = 0; i < 6; i++)
                {
                    IPEndPoint? from = null;
                    received.Add(UdpClientPatches.Receive(server, ref from));
                    Assert.Equal(client.Client.LocalEndPoint, from);
                }
            });
            Greenlet.Yield();
            Assert.False(reader.Dead);
            UdpClientPatches.Send(client, [1], 1, serverEndPoint);
            UdpClientPatches.Send(client, [2], 1, "127.0.0.1", serverEndPoint.Port);
            UdpClientPatches.Send(client, new byte[] { 3 }.AsSpan(), serverEndPoint);
            UdpClientPatches.Send(client, new byte[] { 4 }.AsSpan(), "127.0.0.1", serverEndPoint.Port);
            client.Connect(serverEndPoint);
            UdpClientPatches.Send(client, [5], 1);
            UdpClientPatches.Send(client, new byte[] { 6 }.AsSpan());
            Assert.True(reader.Join(SocketKit.Generous));
            Assert.Equal([1, 2, 3, 4, 5, 6], received.Select(d => Assert.Single(d)));
            Parity.SameException(() => client.Send([1], 1, serverEndPoint), () => UdpClientPatches.Send(client, [1], 1, serverEndPoint));

            var blocked = Greenlet.Spawn(() =>
            {
                IPEndPoint? from = null;
                UdpClientPatches.Receive(server, ref from);
            });
            Greenlet.Yield();
            UdpClientPatches.Close(server);
            Assert.True(blocked.Join(SocketKit.Generous));
            Assert.IsType<SocketException>(blocked.Exception);
        });
    }

    private static IPEndPoint Any() => new(IPAddress.Any, 0);
}
