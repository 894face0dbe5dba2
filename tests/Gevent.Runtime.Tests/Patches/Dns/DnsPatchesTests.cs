using System.Net;
using System.Net.Sockets;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Dns;

public class DnsPatchesTests
{
    private static readonly string s_tooLong = new('a', 300);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LookupsMatchTheOriginals(bool inGreenlet) => Parity.Run(inGreenlet, () =>
    {
        foreach (var host in new[] { "localhost", "127.0.0.1", s_tooLong, null! })
        {
            Parity.SameOutcome(() => Addresses(System.Net.Dns.GetHostAddresses(host)), () => Addresses(DnsPatches.GetHostAddresses(host)));
            Parity.SameOutcome(
                () => Addresses(System.Net.Dns.GetHostAddresses(host, AddressFamily.InterNetwork)),
                () => Addresses(DnsPatches.GetHostAddresses(host, AddressFamily.InterNetwork)));
            Parity.SameOutcome(() => System.Net.Dns.GetHostEntry(host).HostName, () => DnsPatches.GetHostEntry(host).HostName);
            Parity.SameOutcome(
                () => Addresses(System.Net.Dns.GetHostEntry(host, AddressFamily.InterNetwork).AddressList),
                () => Addresses(DnsPatches.GetHostEntry(host, AddressFamily.InterNetwork).AddressList));
        }

        Parity.SameOutcome(() => System.Net.Dns.GetHostEntry(IPAddress.Loopback).HostName, () => DnsPatches.GetHostEntry(IPAddress.Loopback).HostName);
        Parity.SameOutcome(() => System.Net.Dns.GetHostEntry((IPAddress)null!).HostName, () => DnsPatches.GetHostEntry((IPAddress)null!).HostName);
        Parity.SameOutcome(System.Net.Dns.GetHostName, DnsPatches.GetHostName);
    });

    [Fact]
    public void TheThreadResolverRunsTheLookupOffTheHubAndTheBlockResolverInPlace()
    {
        HubTest.Run(() =>
        {
            var hubThread = Environment.CurrentManagedThreadId;
            Assert.NotEqual(hubThread, DnsPatches.Resolve(() => Environment.CurrentManagedThreadId, ResolverKind.Thread));
            Assert.Equal(hubThread, DnsPatches.Resolve(() => Environment.CurrentManagedThreadId, ResolverKind.Block));
            Assert.Equal(ResolverKind.Thread, GeventConfig.Current.Resolver);
            Assert.NotEqual(hubThread, DnsPatches.Resolve(() => Environment.CurrentManagedThreadId));
        });
    }

    [Fact]
    public void ManyGreenletsInSlowLookupsAtOnceFinishTogetherAndKillOrTimeoutInterruptsOne() => BlockedAtOnce.Check(() =>
    {
        // A lookup that takes until released stands in for a slow name server.
        var answer = new ManualResetEventSlim();
        return new BlockedAtOnce.Subject(() => DnsPatches.Resolve(() => answer.Wait(TimeSpan.FromSeconds(30)), ResolverKind.Thread), answer.Set);
    }, count: 8);

    [Fact]
    public void SocketAndUdpClientHostNamesResolveThroughTheReplacement()
    {
        HubTest.Run(() =>
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            SocketPatches.Connect(socket, "localhost", ((IPEndPoint)listener.LocalEndpoint).Port);
            Assert.True(socket.Connected);

            using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            using var sender = new UdpClient(AddressFamily.InterNetwork);
            var port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
            Assert.Equal(2, UdpClientPatches.Send(sender, [1, 2], 2, "localhost", port));
            Assert.Equal(1, UdpClientPatches.Send(sender, new byte[] { 3 }.AsSpan(), "localhost", port));
            IPEndPoint? from = null;
            Assert.Equal([1, 2], UdpClientPatches.Receive(receiver, ref from));
            Assert.Equal([3], UdpClientPatches.Receive(receiver, ref from));
            Parity.SameException(() => sender.Send([1], 1, s_tooLong, port), () => UdpClientPatches.Send(sender, [1], 1, s_tooLong, port));
        });
    }

    private static string Addresses(IPAddress[] addresses) => string.Join(",", addresses.Select(a => a.ToString()).Order());
}
