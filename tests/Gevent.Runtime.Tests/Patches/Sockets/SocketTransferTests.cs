using System.Net.Sockets;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Sockets;

public class SocketTransferTests
{
    [Theory]
    [MemberData(nameof(TransferOverloads.ReceiverNames), MemberType = typeof(TransferOverloads))]
    public void OutsideAGreenletEachReceiveReturnsWhatTheBclReturns(string overload)
    {
        var (bcl, green) = TransferOverloads.Receivers[overload];
        var (left, right) = SocketKit.TcpPair();
        using (left)
        using (right)
        {
            right.Send(new byte[] { 1, 2, 3 });
            right.Send(new byte[] { 4, 5, 6 });
            var first = new byte[3];
            var second = new byte[3];
            Parity.SameOutcome(() => bcl(left, first), () => green(left, second));
            Assert.Equal(new byte[] { 1, 2, 3 }, first);
            Assert.Equal(new byte[] { 4, 5, 6 }, second);
        }
    }

    [Theory]
    [MemberData(nameof(TransferOverloads.SenderNames), MemberType = typeof(TransferOverloads))]
    public void OutsideAGreenletEachSendReturnsWhatTheBclReturns(string overload)
    {
        var (bcl, green) = TransferOverloads.Senders[overload];
        var (left, right) = SocketKit.TcpPair();
        using (left)
        using (right)
        {
            Parity.SameOutcome(() => bcl(left, [1, 2, 3]), () => green(left, [4, 5, 6]));
            var received = new byte[6];
            var total = 0;
            while (total < 6)
            {
                total += right.Receive(received, total, 6 - total, SocketFlags.None);
            }

            Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, received);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BadArgumentsAndDisposedSocketsThrowWhatTheBclThrows(bool inGreenlet)
    {
        void Check()
        {
            var (left, right) = SocketKit.TcpPair();
            using (right)
            {
                var buffer = new byte[4];
                Parity.SameException(() => left.Receive((byte[])null!), () => SocketPatches.Receive(left, (byte[])null!));
                Parity.SameException(() => left.Receive(buffer, 5, 1, SocketFlags.None), () => SocketPatches.Receive(left, buffer, 5, 1, SocketFlags.None));
                Parity.SameException(() => left.Receive(buffer, 2, 3, SocketFlags.None), () => SocketPatches.Receive(left, buffer, 2, 3, SocketFlags.None));
                Parity.SameException(() => left.Receive(buffer, 9, SocketFlags.None), () => SocketPatches.Receive(left, buffer, 9, SocketFlags.None));
                Parity.SameException(() => left.Receive((IList<ArraySegment<byte>>)null!), () => SocketPatches.Receive(left, (IList<ArraySegment<byte>>)null!));
                Parity.SameException(() => left.Receive(new List<ArraySegment<byte>>()), () => SocketPatches.Receive(left, new List<ArraySegment<byte>>()));
                Parity.SameException(() => left.Send((byte[])null!), () => SocketPatches.Send(left, (byte[])null!));
                Parity.SameException(() => left.Send(buffer, -1, 1, SocketFlags.None), () => SocketPatches.Send(left, buffer, -1, 1, SocketFlags.None));
                Parity.SameException(() => left.Send(buffer, 0, 5, SocketFlags.None, out _), () => SocketPatches.Send(left, buffer, 0, 5, SocketFlags.None, out _));
                Parity.SameException(() => left.Send(new List<ArraySegment<byte>>()), () => SocketPatches.Send(left, new List<ArraySegment<byte>>()));
                Parity.SameException(() => ((Socket)null!).Receive(buffer), () => SocketPatches.Receive(null!, buffer));
                left.Dispose();
                foreach (var (bcl, green) in TransferOverloads.Receivers.Values.Concat(TransferOverloads.Senders.Values))
                {
                    Parity.SameException(() => bcl(left, buffer), () => green(left, buffer));
                }

                Parity.SameException(() => left.Receive((byte[])null!), () => SocketPatches.Receive(left, (byte[])null!));
            }
        }

        Parity.Run(inGreenlet, Check);
    }

    [Theory]
    [MemberData(nameof(TransferOverloads.ReceiverNames), MemberType = typeof(TransferOverloads))]
    public void InAGreenletEachReceiveParksOnlyItsGreenletUntilDataArrives(string overload)
    {
        var receive = TransferOverloads.Receivers[overload].Green;
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                var buffer = new byte[8];
                var got = -1;
                var reader = Greenlet.Spawn(() => got = receive(left, buffer));
                Greenlet.Yield();

                // Had the receive blocked the thread, this greenlet would never run again (the test would hang).
                Assert.False(reader.Dead);
                SocketPatches.Send(right, new byte[] { 7, 8, 9 });
                Assert.True(reader.Join(SocketKit.Generous));
                Assert.Equal(3, got);
                Assert.Equal(new byte[] { 7, 8, 9 }, buffer[..3]);
            }
        }, timeoutSeconds: 30);
    }

    [Theory]
    [MemberData(nameof(TransferOverloads.SenderNames), MemberType = typeof(TransferOverloads))]
    public void InAGreenletEachSendDeliversMoreThanTheSocketBuffersHoldWhileTheReaderRuns(string overload)
    {
        var send = TransferOverloads.Senders[overload].Green;
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                left.SendBufferSize = 16 * 1024;
                right.ReceiveBufferSize = 16 * 1024;
                var payload = new byte[2 * 1024 * 1024];
                new Random(42).NextBytes(payload);
                var received = new byte[payload.Length];
                var reader = Greenlet.Spawn(() =>
                {
                    var total = 0;
                    while (total < received.Length)
                    {
                        total += SocketPatches.Receive(right, received, total, received.Length - total, SocketFlags.None);
                    }
                });

                // A blocking send would fill the buffers and never let the reader run.
                Assert.Equal(payload.Length, send(left, payload));
                Assert.True(reader.Join(SocketKit.Generous));
                Assert.True(payload.AsSpan().SequenceEqual(received));
            }
        }, timeoutSeconds: 30);
    }

    [Fact]
    public void TwoGreenletsReceivingFromOneSocketIsConcurrentObjectUse()
    {
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                var first = Greenlet.Spawn(() => SocketPatches.Receive(left, new byte[4]));
                Greenlet.Yield();
                Assert.Throws<ConcurrentObjectUseException>(() => SocketPatches.Receive(left, new byte[4]));
                first.Kill();
            }
        });
    }

    [Fact]
    public void ReceiveTimeoutEndsAWaitWithTheBclsTimedOut()
    {
        var (bclLeft, bclRight) = SocketKit.TcpPair();
        using (bclLeft)
        using (bclRight)
        {
            bclLeft.ReceiveTimeout = 50;
            var expected = Assert.Throws<SocketException>(() => bclLeft.Receive(new byte[4])).SocketErrorCode;
            Assert.Equal(SocketError.TimedOut, expected);
        }

        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                left.ReceiveTimeout = 300;
                var thrown = SocketKit.WaitsCooperatively(TimeSpan.FromMilliseconds(300), () => Assert.Throws<SocketException>(() => SocketPatches.Receive(left, new byte[4])));
                Assert.Equal(SocketError.TimedOut, thrown.SocketErrorCode);

                Assert.Equal(0, SocketPatches.Receive(left, new byte[4], 0, 4, SocketFlags.None, out var error));
                Assert.Equal(SocketError.TimedOut, error);
            }
        });
    }

    [Fact]
    public void SendTimeoutEndsAWaitForRoomWithTheBclsResult()
    {
        static (int Sent, SocketError Error) SendIntoAFullPipe(Socket left, Socket right, int timeoutMs = 100)
        {
            left.SendBufferSize = 16 * 1024;
            right.ReceiveBufferSize = 16 * 1024;
            left.SendTimeout = timeoutMs;
            var payload = new byte[8 * 1024 * 1024];
            var sent = SocketPatches.Send(left, payload, 0, payload.Length, SocketFlags.None, out var error);
            return (sent, error);
        }

        var (bclLeft, bclRight) = SocketKit.TcpPair();
        using (bclLeft)
        using (bclRight)
        {
            // Outside a greenlet this is the original: a timed-out send reports 0, whatever part went out.
            Assert.Equal((0, SocketError.TimedOut), SendIntoAFullPipe(bclLeft, bclRight));
        }

        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                Assert.Equal((0, SocketError.TimedOut), SocketKit.WaitsCooperatively(TimeSpan.FromMilliseconds(300), () => SendIntoAFullPipe(left, right, 300)));
                Assert.Equal(SocketError.TimedOut, Assert.Throws<SocketException>(() => SocketPatches.Send(left, new byte[8 * 1024 * 1024])).SocketErrorCode);
            }
        });
    }

    [Fact]
    public void ANonBlockingSocketIsLeftToTheBclWouldBlockAsWithoutGevent()
    {
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                left.Blocking = false;
                Parity.SameOutcome(
                    () => Assert.Throws<SocketException>(() => left.Receive(new byte[4])).SocketErrorCode,
                    () => Assert.Throws<SocketException>(() => SocketPatches.Receive(left, new byte[4])).SocketErrorCode);
                Assert.Equal(0, SocketPatches.Receive(left, new byte[4].AsSpan(), SocketFlags.None, out var error));
                Assert.Equal(SocketError.WouldBlock, error);
                Assert.False(left.Blocking);
            }
        });
    }

    [Theory]
    [InlineData("Close")]
    [InlineData("Close(timeout)")]
    [InlineData("Dispose")]
    [InlineData("IDisposable.Dispose")]
    public void ClosingWakesAGreenletBlockedInReceiveWithTheBclsError(string how)
    {
        var expected = SocketKit.BclErrorWhenClosedUnder(() => SocketKit.TcpPair(), s => s.Receive(new byte[4]));
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (right)
            {
                SocketError? error = null;
                SocketError? outError = null;
                var reader = Greenlet.Spawn(() => error = Assert.Throws<SocketException>(() => SocketPatches.Receive(left, new byte[4])).SocketErrorCode);
                var writerSide = Greenlet.Spawn(() =>
                {
                    // A writer parked on the same socket (its buffer full) is woken too.
                    left.SendBufferSize = 4096;
                    SocketPatches.Send(left, new byte[16 * 1024 * 1024], 0, 16 * 1024 * 1024, SocketFlags.None, out var e);
                    outError = e;
                });
                Greenlet.Yield();
                Assert.False(reader.Dead);
                Assert.False(writerSide.Dead);
                switch (how)
                {
                    case "Close": SocketPatches.Close(left); break;
                    case "Close(timeout)": SocketPatches.Close(left, 0); break;
                    case "Dispose": SocketPatches.Dispose(left); break;
                    default: SocketPatches.Dispose((IDisposable)left); break;
                }

                Assert.True(reader.Join(SocketKit.Generous), "closing the socket did not wake its reader");
                Assert.True(writerSide.Join(SocketKit.Generous), "closing the socket did not wake its writer");
                Assert.Equal(expected, error);
                Assert.Equal(expected, outError);
            }
        });
    }

    [Fact]
    public void ShutdownWakesABlockedReaderWithEndOfStreamAsTheKernelReportsIt()
    {
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                var got = -1;
                var reader = Greenlet.Spawn(() => got = SocketPatches.Receive(left, new byte[4]));
                Greenlet.Yield();
                left.Shutdown(SocketShutdown.Receive);
                Assert.True(reader.Join(SocketKit.Generous));
                Assert.Equal(0, got);
            }
        });
    }
}
