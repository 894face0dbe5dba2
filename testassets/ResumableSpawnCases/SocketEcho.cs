using System.Net;
using System.Net.Sockets;
using System.Text;
using Gevent;
using Gevent.Servers;

namespace ResumableSpawnCases;

/// <summary>
/// A TCP echo in blocking style: plain <see cref="Socket"/> calls, which the weaver rewrites to the runtime's
/// socket patches. Woven with resumable frames, its greenlets wait at <c>Accept</c>, <c>Connect</c>,
/// <c>Receive</c> and <c>Send</c> without a thread; unwoven, on plain threads, it is ordinary blocking code.
/// </summary>
public static class SocketEcho
{
    /// <summary>A greenlet that accepts one connection on <paramref name="listener"/> and serves it.</summary>
    public static Greenlet<int> SpawnServer(Socket listener) => Greenlet.Spawn(() => Serve(listener));

    /// <summary>A greenlet that talks to the echo at <paramref name="server"/>; its value is what came back.</summary>
    public static Greenlet<string> SpawnClient(EndPoint server, string[] messages) => Greenlet.Spawn(() => Talk(server, messages));

    /// <summary>A greenlet that waits in <c>Receive</c> on <paramref name="socket"/>, logging its ending and its finally block.</summary>
    public static Greenlet SpawnReceiver(Socket socket, List<string> log) => Greenlet.Spawn(() => Receive(socket, log));

    /// <summary>A greenlet whose <c>Receive</c> on <paramref name="socket"/> is bounded by a <see cref="GreenTimeout"/>.</summary>
    public static Greenlet SpawnTimedReceiver(Socket socket, TimeSpan timeout, List<string> log) => Greenlet.Spawn(() =>
    {
        // Cancel, not a using block: the weaver takes IDisposable.Dispose (patched for sockets) for a wait, and a wait
        // inside a finally block keeps a method thread-backed.
        var bound = GreenTimeout.Start(timeout);
        try
        {
            Receive(socket, log);
        }
        catch (GreenTimeoutException)
        {
            log.Add("timed out");
        }
        finally
        {
            bound.Cancel();
        }
    });

    /// <summary>Accepts one connection and echoes it until the peer closes; returns the bytes echoed.</summary>
    public static int Serve(Socket listener)
    {
        // Disposed after, not in a finally block: Dispose is patched, and the weaver takes a patched call inside a
        // finally block for a wait there, which keeps a method thread-backed.
        var client = listener.Accept();
        var echoed = Echo(client);
        client.Dispose();
        return echoed;
    }

    /// <summary>A <see cref="StreamServer"/> handler: echoes the connection through its socket.</summary>
    public static void EchoConnection(ServerConnection connection) => Echo(connection.Socket);

    /// <summary>Echoes what <paramref name="client"/> sends until it closes; returns the bytes echoed.</summary>
    public static int Echo(Socket client)
    {
        var buffer = new byte[256];
        var total = 0;
        int read;
        while ((read = client.Receive(buffer, 0, buffer.Length, SocketFlags.None)) > 0)
        {
            client.Send(buffer, 0, read, SocketFlags.None);
            total += read;
        }

        return total;
    }

    /// <summary>Connects, sends each message and reads its echo; returns the echoes joined by '|'.</summary>
    public static string Talk(EndPoint server, string[] messages)
    {
        // A small send buffer: a long message goes out in several sends. Disposed at the end, not in a finally block
        // (see Serve).
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { SendBufferSize = 4096 };
        socket.Connect(server);
        var echoes = new List<string>();
        foreach (var message in messages)
        {
            var sent = Encoding.UTF8.GetBytes(message);
            socket.Send(sent, 0, sent.Length, SocketFlags.None);
            var received = new byte[sent.Length];
            var count = 0;
            while (count < received.Length)
            {
                var read = socket.Receive(received, count, received.Length - count, SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                count += read;
            }

            echoes.Add(Encoding.UTF8.GetString(received, 0, count));
        }

        socket.Shutdown(SocketShutdown.Send);
        socket.Dispose();
        return string.Join("|", echoes);
    }

    private static void Receive(Socket socket, List<string> log)
    {
        try
        {
            socket.Receive(new byte[1]);
            log.Add("received");
        }
        finally
        {
            log.Add("finally");
        }
    }
}
