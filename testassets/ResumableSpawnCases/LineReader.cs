using System.Net;
using System.Net.Sockets;
using System.Text;
using Gevent;

namespace ResumableSpawnCases;

/// <summary>
/// A line protocol read with <see cref="StreamReader.ReadLine"/> over <see cref="TcpClient.GetStream"/>, the classic
/// way. Woven with resumable frames, its readers are the runtime's resumable ones and its greenlets wait for lines
/// without a thread; unwoven, on plain threads, it is ordinary blocking code.
/// </summary>
public static class LineReader
{
    /// <summary>A greenlet that accepts one client on <paramref name="listener"/>; its value is the lines it read, joined by '|'.</summary>
    public static Greenlet<string> SpawnServer(TcpListener listener) => Greenlet.Spawn(() => Serve(listener));

    /// <summary>
    /// A greenlet that sends <paramref name="parts"/> to <paramref name="server"/> a few milliseconds apart, then reads
    /// the answers; its value is them, joined by '|'.
    /// </summary>
    public static Greenlet<string> SpawnClient(EndPoint server, byte[][] parts) => Greenlet.Spawn(() => Talk(server, parts));

    /// <summary>A greenlet that reads one line of <paramref name="stream"/>, logging it and its finally block.</summary>
    public static Greenlet SpawnLineReader(Stream stream, List<string> log) => Greenlet.Spawn(() => ReadOneLine(new StreamReader(stream), log));

    /// <summary>
    /// A greenlet that reads a line of <paramref name="stream"/> within <paramref name="timeout"/>, then, the time out
    /// logged, reads a line of the same reader again without one.
    /// </summary>
    public static Greenlet SpawnTimedLineReader(Stream stream, TimeSpan timeout, List<string> log) => Greenlet.Spawn(() =>
    {
        var reader = new StreamReader(stream, Encoding.UTF8);
        // Cancel, not a using block: see StreamEcho.SpawnTimedReader.
        var bound = GreenTimeout.Start(timeout);
        try
        {
            log.Add("line " + reader.ReadLine());
        }
        catch (GreenTimeoutException)
        {
            log.Add("timed out");
        }
        finally
        {
            bound.Cancel();
        }

        log.Add("line " + reader.ReadLine());
    });

    /// <summary>The type of the reader woven code makes over <paramref name="stream"/>.</summary>
    public static string ReaderTypeOf(Stream stream) => new StreamReader(stream).GetType().Name;

    /// <summary>Reads lines until the client closes, answering each upper-cased; returns them joined by '|'.</summary>
    public static string Serve(TcpListener listener)
    {
        var client = listener.AcceptTcpClient();
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = new List<string>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lines.Add(line);
            var answer = Encoding.UTF8.GetBytes(line.ToUpperInvariant() + "\n");
            stream.Write(answer, 0, answer.Length);
        }

        // Disposed after, not in a finally block (see SocketEcho.Serve).
        reader.Dispose();
        client.Dispose();
        return string.Join("|", lines);
    }

    /// <summary>Sends the parts 20 ms apart, closes its sending side and reads every answer line; returns them joined by '|'.</summary>
    public static string Talk(EndPoint server, byte[][] parts)
    {
        var client = new TcpClient();
        client.Client.Connect(server);
        var stream = client.GetStream();
        foreach (var part in parts)
        {
            stream.Write(part, 0, part.Length);
            Thread.Sleep(20);
        }

        client.Client.Shutdown(SocketShutdown.Send);
        var reader = new StreamReader(stream);
        var answers = new List<string>();
        while (!reader.EndOfStream)
        {
            answers.Add(reader.ReadLine()!);
        }

        client.Dispose();
        return string.Join("|", answers);
    }

    private static void ReadOneLine(StreamReader reader, List<string> log)
    {
        try
        {
            log.Add("line " + (reader.ReadLine() ?? "<end>"));
        }
        finally
        {
            log.Add("finally");
        }
    }
}
