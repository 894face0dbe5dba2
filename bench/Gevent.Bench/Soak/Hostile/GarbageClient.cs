using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gevent.Bench.Soak.Hostile;

/// <summary>
/// Garbage and malformed requests, each followed by a half-close: the HTTP server must answer with a
/// 4xx (505 for an unknown version) or just close, never another 5xx and never hang; the echo server must echo the bytes, whatever they are.
/// </summary>
internal sealed class GarbageClient() : HostileClient("garbage", loops: 4)
{
    // Not a tighter bound: a connection made while 10,000 idle ones flood in waits in the accept backlog
    // behind them, over 10 s on a loaded 2-core machine. A server that hung would keep it 60 s (keep-alive).
    private static readonly TimeSpan s_readLimit = TimeSpan.FromSeconds(30);

    private static readonly (string Name, Func<byte[]> Bytes)[] s_httpCases =
    [
        ("random bytes", () => HalfCloseClient.RandomBytes(Random.Shared.Next(1, 4096))),
        ("bad request line", () => Ascii("GARBAGE\r\n\r\n")),
        ("header without colon", () => Ascii("GET / HTTP/1.1\r\nHost soak\r\n\r\n")),
        ("10 KiB request line", () => Ascii($"GET /{new string('a', 10_000)} HTTP/1.1\r\nHost: soak\r\n\r\n")),
        ("200 headers", () => Ascii("GET / HTTP/1.1\r\n" + string.Concat(Enumerable.Range(0, 200).Select(i => $"X-{i}: y\r\n")) + "\r\n")),
        ("40 KiB header", () => Ascii($"GET / HTTP/1.1\r\nX: {new string('b', 40_000)}\r\n\r\n")),
        ("negative length", () => Ascii("POST / HTTP/1.1\r\nHost: soak\r\nContent-Length: -1\r\n\r\n")),
        ("non-numeric length", () => Ascii("POST / HTTP/1.1\r\nHost: soak\r\nContent-Length: abc\r\n\r\n")),
        ("conflicting lengths", () => Ascii("POST / HTTP/1.1\r\nHost: soak\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!")),
        ("length and chunked", () => Ascii("POST / HTTP/1.1\r\nHost: soak\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")),
        ("bad chunk size", () => Ascii("POST / HTTP/1.1\r\nHost: soak\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n")),
        ("overflowing chunk size", () => Ascii("POST / HTTP/1.1\r\nHost: soak\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nhello\r\n")),
        ("unknown version", () => Ascii("GET / HTTP/9.9\r\nHost: soak\r\n\r\n")),
        ("NUL in a header", () => Ascii("GET / HTTP/1.1\r\nHost: so\0ak\r\n\r\n")),
        ("bare LF lines", () => Ascii("GET / HTTP/1.1\nHost: soak\n\n")),
        ("50 pipelined", () => Ascii(string.Concat(Enumerable.Repeat("GET / HTTP/1.1\r\nHost: soak\r\n\r\n", 50)))),
        ("truncated body", () => Ascii("POST / HTTP/1.1\r\nHost: soak\r\nContent-Length: 100\r\n\r\nonly ten b")),
    ];

    private int _round;

    protected override async Task RoundAsync(IPEndPoint server, bool http, CancellationToken stop)
    {
        var (name, bytes) = http ? s_httpCases[Interlocked.Increment(ref _round) % s_httpCases.Length] : ("random bytes", s_httpCases[0].Bytes);
        var message = bytes();
        using var socket = await ConnectAsync(server, stop);
        await socket.SendAsync(message, SocketFlags.None, stop);
        socket.Shutdown(SocketShutdown.Send);
        var read = await ReadToEndAsync(socket, s_readLimit, stop, keep: http ? 64 : message.Length);
        if (read.End == ReadEnd.TimedOut)
        {
            Tally.Error($"{name}: still open {s_readLimit.TotalSeconds:0} s after it");
        }
        else if (!http)
        {
            if (read.Bytes == message.Length && read.First.AsSpan().SequenceEqual(message))
            {
                Tally.Outcome("echoed");
            }
            else
            {
                Tally.Error($"echoed {read.Bytes} of {message.Length} bytes");
            }
        }
        else if (StatusOf(read) is var status && status.StartsWith('5') && status != "505")
        {
            Tally.Error($"{name}: answer {status}");
        }
        else
        {
            Tally.Outcome($"{name}: answer {status}");
        }

        await Pause(TimeSpan.FromMilliseconds(10), stop);
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
