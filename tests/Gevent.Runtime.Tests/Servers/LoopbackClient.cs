using System.Net;
using System.Net.Sockets;
using System.Text;
using Gevent.Patches;

namespace Gevent.Tests.Servers;

/// <summary>A client connection for server tests, cooperative like the server it talks to.</summary>
internal sealed class LoopbackClient : IDisposable
{
    private readonly Socket _socket;

    public LoopbackClient(EndPoint server)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        SocketPatches.Connect(_socket, server);
        Stream = new GreenNetworkStream(_socket, ownsSocket: true);
    }

    public Stream Stream { get; }

    public void Send(string text) => Stream.Write(Encoding.Latin1.GetBytes(text));

    /// <summary>Reads exactly <paramref name="count"/> bytes (fewer only if the server closes).</summary>
    public string Receive(int count)
    {
        var buffer = new byte[count];
        var filled = 0;
        int read;
        while (filled < count && (read = Stream.Read(buffer, filled, count - filled)) > 0)
        {
            filled += read;
        }

        return Encoding.Latin1.GetString(buffer, 0, filled);
    }

    /// <summary>Reads until the server closes the connection.</summary>
    public string ReceiveToEnd()
    {
        using var all = new MemoryStream();
        Stream.CopyTo(all);
        return Encoding.Latin1.GetString(all.ToArray());
    }

    /// <summary>Reads one HTTP response with a Content-Length body.</summary>
    public (string Head, string Body) ReceiveResponse()
    {
        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            var one = Receive(1);
            if (one.Length == 0)
            {
                throw new IOException($"the server closed the connection inside a response head: {head}");
            }

            head.Append(one);
        }

        var length = head.ToString().Split("\r\n")
            .Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(l => int.Parse(l["Content-Length:".Length..].Trim()))
            .Single();
        return (head.ToString(), Receive(length));
    }

    public void Dispose() => Stream.Dispose();
}
