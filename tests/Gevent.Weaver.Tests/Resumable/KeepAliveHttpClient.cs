using System.Net;
using System.Net.Sockets;
using System.Text;
using Gevent.Patches;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>An HTTP/1.1 client keeping one loopback connection alive, cooperative in a greenlet (the socket patches called directly).</summary>
internal sealed class KeepAliveHttpClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public KeepAliveHttpClient(EndPoint server) => SocketPatches.Connect(_socket, server);

    /// <summary>Sends <paramref name="text"/> as it is (a whole request, or part of one).</summary>
    public void Send(string text) => SocketPatches.Send(_socket, Encoding.ASCII.GetBytes(text));

    /// <summary>Sends a GET of <paramref name="target"/> and reads its response.</summary>
    public string Get(string target)
    {
        Send("GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n");
        return ReadResponse();
    }

    /// <summary>The next response: its head without the Date field (which changes with the second), then its body.</summary>
    public string ReadResponse()
    {
        int headEnd;
        while ((headEnd = Encoding.ASCII.GetString(_buffer, _start, _end - _start).IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
        {
            if (!Fill())
            {
                throw new IOException("The server closed the connection before a whole response head.");
            }
        }

        var head = Encoding.ASCII.GetString(_buffer, _start, headEnd);
        _start += headEnd + 4;
        var lines = head.Split("\r\n").Where(l => !l.StartsWith("Date:", StringComparison.Ordinal)).ToList();
        var length = int.Parse(lines.Single(l => l.StartsWith("Content-Length:", StringComparison.Ordinal))["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        while (_end - _start < length)
        {
            if (!Fill())
            {
                throw new IOException("The server closed the connection inside a response body.");
            }
        }

        var body = Encoding.UTF8.GetString(_buffer, _start, length);
        _start += length;
        return string.Join("\n", lines) + "\n\n" + body;
    }

    /// <summary>True if the server closed the connection with nothing more sent.</summary>
    public bool ReadsEnd() => _end == _start && !Fill();

    public void Dispose() => _socket.Dispose();

    private bool Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = SocketPatches.Receive(_socket, _buffer, _end, _buffer.Length - _end, SocketFlags.None);
        _end += read;
        return read > 0;
    }
}
