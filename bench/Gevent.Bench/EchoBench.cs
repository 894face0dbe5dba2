using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gevent.Patches;

namespace Gevent.Bench;

/// <summary>
/// Loopback echo round trip, 64-byte messages: the cooperative socket path (client and server greenlets of
/// one hub, through <see cref="SocketPatches"/>), the same through network streams (<see cref="StreamPatches"/>
/// over <see cref="GreenNetworkStream"/>s, as woven code reads and writes them), the same as lines read by
/// <c>StreamReader.ReadLine</c> (the BCL's reader over the stream, and the <see cref="GreenStreamReader"/> patched code now
/// makes), blocking sockets on two threads, and async/await. The best of three trials each, in microseconds per round trip.
/// </summary>
internal static class EchoBench
{
    private const int Rounds = 20_000;
    private const int MessageSize = 64;

    private static readonly Receive<Socket> s_cooperativeReceive = (s, b, offset) => SocketPatches.Receive(s, b, offset, b.Length - offset, SocketFlags.None);

    private static readonly Receive<Socket> s_blockingReceive = (s, b, offset) => s.Receive(b, offset, b.Length - offset, SocketFlags.None);

    private static readonly Receive<Stream> s_streamReceive = (s, b, offset) => StreamPatches.Read(s, b, offset, b.Length - offset);

    private static readonly Func<Stream, ArraySegment<byte>, int> s_streamSend = (s, b) =>
    {
        StreamPatches.Write(s, b.Array!, b.Offset, b.Count);
        return b.Count;
    };

    /// <summary>Receives into <c>buffer</c> from <c>offset</c> to its end.</summary>
    private delegate int Receive<in TEnd>(TEnd end, byte[] buffer, int offset);

    public static IReadOnlyList<(string Name, double RoundTripUs)> Run() =>
    [
        ("cooperative (greenlets, one hub)", Best(Cooperative)),
        ("cooperative streams (greenlets, one hub)", Best(CooperativeStreams)),
        ("cooperative lines, BCL StreamReader (greenlets, one hub)", Best(() => CooperativeLines(stream => new StreamReader(stream)))),
        ("cooperative lines, GreenStreamReader (greenlets, one hub)", Best(() => CooperativeLines(StreamReaderPatches.NewStreamReader))),
        ("blocking sockets, two threads", Best(BlockingThreads)),
        ("async/await", Best(() => AsyncAwait().GetAwaiter().GetResult())),
    ];

    private static double Best(Func<double> trial) => Enumerable.Range(0, 3).Min(_ => trial());

    private static double Cooperative()
    {
        var result = 0.0;

        // A fresh thread becomes a fresh hub's main greenlet, so the trials do not share a hub.
        var main = new Thread(() =>
        {
            var (client, server) = Pair();
            using (client)
            using (server)
            {
                var echo = Greenlet.Spawn(() => Echo(server, s_cooperativeReceive, (s, b) => SocketPatches.Send(s, b)));
                result = Measure(client, s_cooperativeReceive, (s, b) => SocketPatches.Send(s, b));
                client.Shutdown(SocketShutdown.Send);
                echo.Join();
            }
        });
        main.Start();
        main.Join();
        return result;
    }

    private static double CooperativeStreams()
    {
        var result = 0.0;
        var main = new Thread(() =>
        {
            var (client, server) = Pair();
            using var clientStream = new GreenNetworkStream(client, ownsSocket: true);
            using var serverStream = new GreenNetworkStream(server, ownsSocket: true);
            var echo = Greenlet.Spawn(() => Echo<Stream>(serverStream, s_streamReceive, s_streamSend));
            result = Measure<Stream>(clientStream, s_streamReceive, s_streamSend);
            client.Shutdown(SocketShutdown.Send);
            echo.Join();
        });
        main.Start();
        main.Join();
        return result;
    }

    /// <summary>
    /// 64-byte lines (63 characters and '\n') echoed through network streams, each read by a reader
    /// <paramref name="newReader"/> makes, through <see cref="TextReaderPatches.ReadLine"/> as woven code calls it.
    /// </summary>
    private static double CooperativeLines(Func<Stream, StreamReader> newReader)
    {
        var result = 0.0;
        var main = new Thread(() =>
        {
            var (client, server) = Pair();
            using var clientStream = new GreenNetworkStream(client, ownsSocket: true);
            using var serverStream = new GreenNetworkStream(server, ownsSocket: true);
            var line = System.Text.Encoding.ASCII.GetBytes(new string('x', MessageSize - 1) + "\n");
            var echo = Greenlet.Spawn(() =>
            {
                var lines = newReader(serverStream);
                while (TextReaderPatches.ReadLine(lines) is not null)
                {
                    StreamPatches.Write(serverStream, line, 0, line.Length);
                }
            });
            var replies = newReader(clientStream);
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < Rounds; i++)
            {
                StreamPatches.Write(clientStream, line, 0, line.Length);
                TextReaderPatches.ReadLine(replies);
            }

            result = stopwatch.Elapsed.TotalMicroseconds / Rounds;
            client.Shutdown(SocketShutdown.Send);
            echo.Join();
        });
        main.Start();
        main.Join();
        return result;
    }

    private static double BlockingThreads()
    {
        var (client, server) = Pair();
        using (client)
        using (server)
        {
            var echo = new Thread(() => Echo(server, s_blockingReceive, (s, b) => s.Send(b)));
            echo.Start();
            var result = Measure(client, s_blockingReceive, (s, b) => s.Send(b));
            client.Shutdown(SocketShutdown.Send);
            echo.Join();
            return result;
        }
    }

    private static async Task<double> AsyncAwait()
    {
        var (client, server) = Pair();
        using (client)
        using (server)
        {
            var echo = Task.Run(async () =>
            {
                var buffer = new byte[MessageSize];
                int n;
                while ((n = await server.ReceiveAsync(buffer)) > 0)
                {
                    await server.SendAsync(buffer.AsMemory(0, n));
                }
            });
            var message = new byte[MessageSize];
            var reply = new byte[MessageSize];
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < Rounds; i++)
            {
                await client.SendAsync(message);
                for (var got = 0; got < MessageSize;)
                {
                    got += await client.ReceiveAsync(reply.AsMemory(got));
                }
            }

            var result = stopwatch.Elapsed.TotalMicroseconds / Rounds;
            client.Shutdown(SocketShutdown.Send);
            await echo;
            return result;
        }
    }

    private static void Echo<TEnd>(TEnd end, Receive<TEnd> receive, Func<TEnd, ArraySegment<byte>, int> send)
    {
        var buffer = new byte[MessageSize];
        int n;
        while ((n = receive(end, buffer, 0)) > 0)
        {
            send(end, new ArraySegment<byte>(buffer, 0, n));
        }
    }

    private static double Measure<TEnd>(TEnd client, Receive<TEnd> receive, Func<TEnd, ArraySegment<byte>, int> send)
    {
        var message = new byte[MessageSize];
        var reply = new byte[MessageSize];
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < Rounds; i++)
        {
            send(client, message);

            // 64 bytes on loopback arrive whole; the loop only guards against a split read.
            for (var got = 0; got < MessageSize;)
            {
                got += receive(client, reply, got);
            }
        }

        return stopwatch.Elapsed.TotalMicroseconds / Rounds;
    }

    private static (Socket Client, Socket Server) Pair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(listener.LocalEndPoint!);
        var server = listener.Accept();
        server.NoDelay = true;
        return (client, server);
    }
}
