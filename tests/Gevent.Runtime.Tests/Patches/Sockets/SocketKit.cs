using System.Net;
using System.Net.Sockets;
using Gevent.Tests.Loop;

namespace Gevent.Tests.Patches.Sockets;

/// <summary>Loopback sockets and probes shared by the socket and stream patch tests.</summary>
internal static class SocketKit
{
    /// <summary>A generous bound for things that should take milliseconds.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    public static (Socket Left, Socket Right) TcpPair() => EventLoopTests.SocketPair();

    /// <summary><paramref name="count"/> connected pairs, all closed when the result is disposed.</summary>
    public static PairList TcpPairs(int count)
    {
        var pairs = new PairList();
        for (var i = 0; i < count; i++)
        {
            pairs.Add(TcpPair());
        }

        return pairs;
    }

    public static Socket Listener(int backlog = 128)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        return listener;
    }

    public static (Socket Left, Socket Right) UdpPair()
    {
        var left = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var right = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        left.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        right.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        left.Connect(right.LocalEndPoint!);
        right.Connect(left.LocalEndPoint!);
        return (left, right);
    }

    /// <summary>An endpoint nothing listens on: connecting to it is refused.</summary>
    public static EndPoint ClosedEndPoint()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return probe.LocalEndPoint!;
    }

    /// <summary>
    /// The error the BCL gives <paramref name="blockingCall"/>, blocked on a plain thread, when another thread
    /// disposes the socket (the first of <paramref name="create"/>'s pair; the second, if any, is kept open
    /// meanwhile). The close must land while the call blocks; if it landed first (the call then sees a
    /// disposed socket), try again with a longer head start.
    /// </summary>
    public static SocketError BclErrorWhenClosedUnder(Func<(Socket Socket, Socket? Peer)> create, Action<Socket> blockingCall)
    {
        for (var headStartMs = 50; ; headStartMs *= 2)
        {
            var (socket, peer) = create();
            using (socket)
            using (peer)
            {
                var closer = new Thread(() =>
                {
                    Thread.Sleep(headStartMs);
                    socket.Dispose();
                });
                closer.Start();
                var thrown = Record.Exception(() => blockingCall(socket));
                closer.Join();
                if (thrown is SocketException e)
                {
                    return e.SocketErrorCode;
                }

                Assert.True(headStartMs < 5000, $"the BCL call never blocked: {thrown}");
            }
        }
    }

    public sealed class PairList : List<(Socket Left, Socket Right)>, IDisposable
    {
        public void Dispose()
        {
            foreach (var (left, right) in this)
            {
                left.Dispose();
                right.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="wait"/>, which should take about <paramref name="period"/>, and checks that it did, and
    /// that other greenlets ran meanwhile (it parked its greenlet, not the thread). Returns its result. On a loaded
    /// machine one period can pass before a ticker greenlet gets its few turns (each hand-off stalled for tens of
    /// milliseconds), so <paramref name="wait"/>, which must be repeatable, runs again, each run checked alike, until
    /// the ticker has proved its hub kept running, or 30 s have passed. The ticker runs only while the caller waits, so
    /// a wait that holds the hub never lets it prove anything, however often it is repeated.
    /// </summary>
    public static T WaitsCooperatively<T>(TimeSpan period, Func<T> wait)
    {
        using var ticker = new Ticker();
        var repeating = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            var result = wait();
            Assert.InRange(stopwatch.Elapsed, period - TimeSpan.FromMilliseconds(5), period + TimeSpan.FromSeconds(10));
            if (ticker.Ticks >= Ticker.KeptRunningTicks || repeating.Elapsed > TimeSpan.FromSeconds(30))
            {
                ticker.AssertKeptRunning("while the call waited");
                return result;
            }
        }
    }
}
