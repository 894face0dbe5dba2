using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Gevent.Patches;
using Gevent.Tests.Patches.Sockets;

namespace Gevent.Tests.Patches.Streams;

public class NetworkStreamTests
{
    [Fact]
    public void EveryConstructorPatchAndGetStreamGiveACooperativeStream()
    {
        var (left, right) = SocketKit.TcpPair();
        using (left)
        using (right)
        {
            Assert.IsType<GreenNetworkStream>(NetworkStreamPatches.Create(left));
            Assert.IsType<GreenNetworkStream>(NetworkStreamPatches.Create(left, ownsSocket: false));
            Assert.IsType<GreenNetworkStream>(NetworkStreamPatches.Create(left, FileAccess.Read));
            Assert.IsType<GreenNetworkStream>(NetworkStreamPatches.Create(left, FileAccess.Write, ownsSocket: false));
            Parity.SameException(() => new NetworkStream(null!), () => NetworkStreamPatches.Create(null!));
            Parity.SameException(() => new NetworkStream(new Socket(SocketType.Dgram, ProtocolType.Udp)), () => NetworkStreamPatches.Create(new Socket(SocketType.Dgram, ProtocolType.Udp)));
        }

        using var listener = SocketKit.Listener();
        using var client = new TcpClient();
        Parity.SameException(() => client.GetStream(), () => NetworkStreamPatches.GetStream(client));
        client.Connect((System.Net.IPEndPoint)listener.LocalEndPoint!);
        var stream = NetworkStreamPatches.GetStream(client);
        Assert.IsType<GreenNetworkStream>(stream);
        Assert.Same(stream, NetworkStreamPatches.GetStream(client));
        client.Dispose();
        Parity.SameException(() => client.GetStream(), () => NetworkStreamPatches.GetStream(client));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ResultsAndExceptionsAreThoseOfAPlainNetworkStream(bool inGreenlet)
    {
        void Check()
        {
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                var plain = new NetworkStream(left);
                var green = new GreenNetworkStream(left);
                var buffer = new byte[4];
                right.Send(new byte[] { 1, 2, 3, 4, 5, 6 });
                Parity.SameOutcome(() => plain.Read(buffer, 0, 3), () => green.Read(buffer, 0, 3));
                Assert.Equal(new byte[] { 4, 5, 6, 0 }, buffer);
                Parity.SameException(() => _ = plain.Read(null!, 0, 1), () => _ = green.Read(null!, 0, 1));
                Parity.SameException(() => _ = plain.Read(buffer, 3, 2), () => _ = green.Read(buffer, 3, 2));
                Parity.SameException(() => plain.Write(buffer, -1, 2), () => green.Write(buffer, -1, 2));
                Parity.SameException(() => _ = new NetworkStream(left, FileAccess.Write).Read(buffer), () => _ = new GreenNetworkStream(left, FileAccess.Write).Read(buffer));
                Parity.SameException(() => new NetworkStream(left, FileAccess.Read).Write(buffer), () => new GreenNetworkStream(left, FileAccess.Read).Write(buffer));
                Parity.SameException(() => _ = StreamPatches.Read(plain, null!, 0, 1), () => _ = green.Read(null!, 0, 1));

                left.ReceiveTimeout = 50;
                var plainTimeout = Assert.Throws<IOException>(() => plain.Read(buffer));
                var greenTimeout = Assert.Throws<IOException>(() => green.Read(buffer, 0, 4));
                Assert.Equal(plainTimeout.InnerException?.GetType(), greenTimeout.InnerException?.GetType());
                Assert.Equal(SocketError.TimedOut, ((SocketException)greenTimeout.InnerException!).SocketErrorCode);
                Assert.Equal(SocketError.TimedOut, ((SocketException)Assert.Throws<IOException>(() => StreamPatches.Read(plain, buffer)).InnerException!).SocketErrorCode);

                plain.Dispose();
                green.Dispose();
                Parity.SameException(() => _ = plain.Read(buffer), () => _ = green.Read(buffer));
                Parity.SameException(() => plain.Write(buffer, 0, 1), () => green.Write(buffer, 0, 1));
                Parity.SameException(() => _ = plain.Read(buffer), () => _ = StreamPatches.Read(plain, buffer));
            }
        }

        Parity.Run(inGreenlet, Check);
    }

    [Fact]
    public void ReadersLayeredOnAGreenStreamParkOnlyTheirGreenlet()
    {
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                using var ticker = new Ticker();
                var stream = NetworkStreamPatches.Create(left);
                var lines = new List<string?>();
                var readers = new List<Greenlet>
                {
                    Greenlet.Spawn(() =>
                    {
                        using var reader = new StreamReader(new BufferedStream(stream), Encoding.ASCII, false, 16, leaveOpen: true);
                        lines.Add(reader.ReadLine());
                        lines.Add(reader.ReadLine());
                    }),
                };
                Greenlet.Yield();
                Assert.False(readers[0].Dead);
                var sender = NetworkStreamPatches.Create(right);
                using (var writer = new StreamWriter(sender, Encoding.ASCII, 16, leaveOpen: true))
                {
                    writer.Write("first line\nsecond");
                    writer.Flush();
                    ticker.SleepWhileTicking(TimeSpan.FromMilliseconds(200));
                    Assert.False(readers[0].Dead);
                    writer.Write(" line\n");
                }

                Assert.True(readers[0].Join(SocketKit.Generous));
                Assert.Equal(["first line", "second line"], lines);
                ticker.AssertKeptRunning("while a greenlet waited for the rest of a line");

                var single = Greenlet.Spawn(() => stream.ReadByte());
                Greenlet.Yield();
                Assert.False(single.Dead);
                sender.WriteByte(42);
                Assert.Equal(42, single.Get(SocketKit.Generous));
            }
        });
    }

    [Fact]
    public void AReaderGivenANullEncodingReportsAndDecodesAsTheBclsDoes()
    {
        // A valid line, then an invalid UTF-8 sequence (replaced, not thrown on), and the encoding reported.
        static (string? Valid, string? Invalid, Encoding Encoding) Read(Func<Stream, StreamReader> create)
        {
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                right.Send([(byte)'o', (byte)'k', (byte)'\n', 0xC3, 0x28, (byte)'\n']);
                using var reader = create(new NetworkStream(left));
                return (reader.ReadLine(), reader.ReadLine(), reader.CurrentEncoding);
            }
        }

        HubTest.Run(() =>
        {
            var original = Read(stream => new StreamReader(stream, null, true, -1, false));
            var patched = Read(stream => Assert.IsType<GreenStreamReader>(StreamReaderPatches.NewStreamReader(stream, null, true, -1, false)));

            Assert.Equal(("ok", "\uFFFD("), (original.Valid, original.Invalid));
            Assert.Equal(original, patched);
        });
    }

    [Fact]
    public void APlainNetworkStreamSeenThroughStreamCooperatesViaItsSocket()
    {
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                Stream plainReader = new NetworkStream(left);
                Stream plainWriter = new NetworkStream(right);
                left.ReceiveBufferSize = 16 * 1024;
                right.SendBufferSize = 16 * 1024;
                var payload = new byte[1024 * 1024];
                new Random(3).NextBytes(payload);
                var copy = new MemoryStream();
                var reader = Greenlet.Spawn(() => StreamPatches.CopyTo(plainReader, copy));
                Greenlet.Yield();
                Assert.False(reader.Dead);

                // Written through Stream.Write on a plain stream: a blocking write would fill the buffers for good.
                StreamPatches.Write(plainWriter, payload, 0, payload.Length / 2);
                StreamPatches.Write(plainWriter, payload.AsSpan(payload.Length / 2));
                right.Shutdown(SocketShutdown.Send);
                Assert.True(reader.Join(SocketKit.Generous));
                Assert.True(payload.AsSpan().SequenceEqual(copy.ToArray()));

                var (lone, peer) = SocketKit.TcpPair();
                using (lone)
                using (peer)
                {
                    Stream plainLone = new NetworkStream(lone);
                    var single = Greenlet.Spawn(() => StreamPatches.ReadByte(plainLone));
                    Greenlet.Yield();
                    Assert.False(single.Dead);
                    StreamPatches.WriteByte(new NetworkStream(peer), 42);
                    Assert.Equal(42, single.Get(SocketKit.Generous));

                    // ReadExactly waits cooperatively across chunks, then meets the end as the original does.
                    var exact = new byte[4];
                    var filling = Greenlet.Spawn(() => StreamPatches.ReadExactly(plainLone, exact, 0, 4));
                    var peerStream = new NetworkStream(peer);
                    StreamPatches.Write(peerStream, [1, 2]);
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(20));
                    Assert.False(filling.Dead);
                    StreamPatches.Write(peerStream, [3, 4, 5]);
                    Assert.True(filling.Join(SocketKit.Generous) && filling.Successful, filling.Exception?.ToString());
                    Assert.Equal(new byte[] { 1, 2, 3, 4 }, exact);
                    Assert.Equal(1, StreamPatches.ReadAtLeast(plainLone, exact, 1));
                    peer.Shutdown(SocketShutdown.Send);
                    Assert.Throws<EndOfStreamException>(() => StreamPatches.ReadExactly(plainLone, exact.AsSpan()));
                    Assert.Equal(-1, StreamPatches.ReadByte(plainLone));
                }

                // Any other stream gets the virtual call.
                var memory = new MemoryStream([1, 2, 3]);
                Assert.Equal(1, StreamPatches.ReadByte(memory));
                StreamPatches.WriteByte(memory, 9);
                Assert.Equal(new byte[] { 1, 9, 3 }, memory.ToArray());
                memory.Position = 0;
                Assert.Equal(3, StreamPatches.Read(memory, new byte[8], 0, 8));
                Parity.SameException(() => memory.CopyTo(null!), () => StreamPatches.CopyTo(plainReader, null!));
                Parity.SameException(() => memory.CopyTo(new MemoryStream(), 0), () => StreamPatches.CopyTo(plainReader, new MemoryStream(), 0));
            }
        });
    }

    [Fact]
    public void CopyToAPlainNetworkStreamFromAnyStreamCooperates()
    {
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                right.SendBufferSize = 16 * 1024;
                left.ReceiveBufferSize = 16 * 1024;
                var payload = new byte[1024 * 1024];
                var received = 0;
                var reader = Greenlet.Spawn(() =>
                {
                    var buffer = new byte[64 * 1024];
                    int n;
                    while ((n = SocketPatches.Receive(left, buffer)) > 0)
                    {
                        received += n;
                    }
                });
                StreamPatches.CopyTo(new MemoryStream(payload), new NetworkStream(right), 4096);
                right.Shutdown(SocketShutdown.Send);
                Assert.True(reader.Join(SocketKit.Generous));
                Assert.Equal(payload.Length, received);
            }
        });
    }

    [Fact]
    public void KillTimeoutAndConcurrentUseAreNotWrappedAsIoErrors()
    {
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                var stream = new GreenNetworkStream(left);
                var stopwatch = Stopwatch.StartNew();
                Assert.False(GreenTimeout.TryRun(TimeSpan.FromMilliseconds(30), () => _ = stream.Read(new byte[4])));
                Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(25));

                var cleaned = false;
                var reader = Greenlet.Spawn(() =>
                {
                    try
                    {
                        _ = stream.Read(new byte[4], 0, 4);
                    }
                    finally
                    {
                        cleaned = true;
                    }
                });
                Greenlet.Yield();
                Assert.Throws<ConcurrentObjectUseException>(() => stream.Read(new byte[4]));
                reader.Kill();
                Assert.True(cleaned);
                Assert.True(reader.Successful);

                var next = Greenlet.Spawn(() => stream.Read(new byte[4]));
                Greenlet.Yield();
                right.Send(new byte[] { 1, 2 });
                Assert.Equal(2, next.Get(SocketKit.Generous));
            }
        });
    }

    [Fact]
    public void DisposingAStreamThatOwnsItsSocketWakesItsReaderWithTheBclsError()
    {
        var expected = SocketKit.BclErrorWhenClosedUnder(() => SocketKit.TcpPair(), s => s.Receive(new byte[4]));
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (right)
            {
                var stream = NetworkStreamPatches.Create(left, ownsSocket: true);
                var reader = Greenlet.Spawn(() => stream.Read(new byte[4]));
                Greenlet.Yield();
                stream.Dispose();
                Assert.True(reader.Join(SocketKit.Generous), "disposing the stream did not wake its reader");
                var thrown = Assert.IsType<IOException>(reader.Exception);
                Assert.Equal(expected, Assert.IsType<SocketException>(thrown.InnerException).SocketErrorCode);
            }
        });
    }
}
