using System.Net;
using System.Net.Sockets;
using System.Text;
using Gevent;

namespace ResumableSpawnCases;

/// <summary>
/// A line protocol over <see cref="TcpClient.GetStream"/> in blocking style: <see cref="Stream"/> calls, which the
/// weaver rewrites to the runtime's stream patches. Woven with resumable frames, its greenlets wait at the stream's
/// <c>Read</c>, <c>ReadByte</c> and <c>Write</c> without a thread; unwoven, on plain threads, it is ordinary
/// blocking code.
/// </summary>
public static class StreamEcho
{
    /// <summary>A greenlet that accepts one client on <paramref name="listener"/> and answers its lines.</summary>
    public static Greenlet<int> SpawnServer(TcpListener listener) => Greenlet.Spawn(() => Serve(listener));

    /// <summary>A greenlet that sends <paramref name="lines"/> to <paramref name="server"/>; its value is the answers.</summary>
    public static Greenlet<string> SpawnClient(EndPoint server, string[] lines) => Greenlet.Spawn(() => Talk(server, lines));

    /// <summary>A greenlet that waits to read a byte of <paramref name="stream"/>, logging what it read and its finally block.</summary>
    public static Greenlet SpawnReader(Stream stream, List<string> log) => Greenlet.Spawn(() => ReadOne(stream, log));

    /// <summary>A greenlet that reads exactly <paramref name="count"/> bytes of <paramref name="stream"/>; its value is them as text.</summary>
    public static Greenlet<string> SpawnExactReader(Stream stream, int count) => Greenlet.Spawn(() => ReadExactly(stream, count));

    /// <summary>
    /// A greenlet that reads a byte of the network stream over <paramref name="socket"/> through a
    /// <see cref="BufferedStream"/>, an un-woven frame between it and the wait.
    /// </summary>
    public static Greenlet SpawnBufferedReader(Socket socket, List<string> log) =>
        Greenlet.Spawn(() => ReadOne(new BufferedStream(new NetworkStream(socket)), log));

    /// <summary>A greenlet whose read of <paramref name="stream"/> is bounded by a <see cref="GreenTimeout"/>.</summary>
    public static Greenlet SpawnTimedReader(Stream stream, TimeSpan timeout, List<string> log) => Greenlet.Spawn(() =>
    {
        // Cancel, not a using block: a patched call inside a finally block keeps a method thread-backed (SocketEcho).
        var bound = GreenTimeout.Start(timeout);
        try
        {
            ReadOne(stream, log);
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

    /// <summary>Accepts one client and answers each of its lines upper-cased until it closes; returns the lines answered.</summary>
    public static int Serve(TcpListener listener)
    {
        var client = listener.AcceptTcpClient();
        // A small send buffer: a long answer goes out in several writes.
        client.Client.SendBufferSize = 4096;
        var stream = client.GetStream();
        var answered = 0;
        string? line;
        while ((line = ReadLine(stream)) is not null)
        {
            var answer = Encoding.UTF8.GetBytes(line.ToUpperInvariant() + "\n");
            stream.Write(answer, 0, answer.Length);
            answered++;
        }

        // Disposed after, not in a finally block (see SocketEcho.Serve).
        client.Dispose();
        return answered;
    }

    /// <summary>Connects, sends each line and reads its answer; returns the answers joined by '|'.</summary>
    public static string Talk(EndPoint server, string[] lines)
    {
        var client = new TcpClient();
        client.Client.Connect(server);
        var stream = client.GetStream();
        var answers = new List<string>();
        var buffer = new byte[256];
        foreach (var line in lines)
        {
            var request = Encoding.UTF8.GetBytes(line + "\n");
            stream.Write(request, 0, request.Length);
            var answer = new MemoryStream();
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                answer.Write(buffer, 0, read);
                if (buffer[read - 1] == '\n')
                {
                    break;
                }
            }

            answers.Add(Encoding.UTF8.GetString(answer.ToArray()).TrimEnd('\n'));
        }

        client.Client.Shutdown(SocketShutdown.Send);
        client.Dispose();
        return string.Join("|", answers);
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes of <paramref name="stream"/>, as UTF-8 text.</summary>
    public static string ReadExactly(Stream stream, int count)
    {
        var buffer = new byte[count];
        stream.ReadExactly(buffer, 0, count);
        return Encoding.UTF8.GetString(buffer);
    }

    /// <summary>A line read a byte at a time, without its '\n'; null at the end of the stream.</summary>
    private static string? ReadLine(Stream stream)
    {
        var bytes = new List<byte>();
        int next;
        while ((next = stream.ReadByte()) >= 0 && next != '\n')
        {
            bytes.Add((byte)next);
        }

        return next < 0 && bytes.Count == 0 ? null : Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static void ReadOne(Stream stream, List<string> log)
    {
        try
        {
            var buffer = new byte[1];
            log.Add(stream.Read(buffer, 0, 1) == 1 ? "read " + buffer[0] : "end");
        }
        finally
        {
            log.Add("finally");
        }
    }
}
