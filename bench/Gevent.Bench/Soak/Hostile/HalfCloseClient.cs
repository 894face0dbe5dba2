using System.Net;
using System.Net.Sockets;

namespace Gevent.Bench.Soak.Hostile;

/// <summary>
/// Half-closed sockets: a request (or 1 KiB to echo), then shutdown of the sending side, then reading
/// on. The server must answer in full and then close, not hang on the half-open connection.
/// </summary>
internal sealed class HalfCloseClient() : HostileClient("half-closed", loops: 4)
{
    // Not a tighter bound: a connection made while 10,000 idle ones flood in waits in the accept backlog
    // behind them, over 10 s on a loaded 2-core machine. A server that hung would keep it 60 s (keep-alive).
    private static readonly TimeSpan s_readLimit = TimeSpan.FromSeconds(30);
    private static readonly byte[] s_request = "GET / HTTP/1.1\r\nHost: soak\r\n\r\n"u8.ToArray();

    protected override async Task RoundAsync(IPEndPoint server, bool http, CancellationToken stop)
    {
        using var socket = await ConnectAsync(server, stop);
        var message = http ? s_request : RandomBytes(1024);
        await socket.SendAsync(message, SocketFlags.None, stop);
        socket.Shutdown(SocketShutdown.Send);
        var read = await ReadToEndAsync(socket, s_readLimit, stop, keep: message.Length);
        if (read.End == ReadEnd.TimedOut)
        {
            Tally.Error($"still open {s_readLimit.TotalSeconds:0} s after the half-close");
        }
        else if (http ? StatusOf(read) == "200" : read.First.AsSpan().SequenceEqual(message) && read.Bytes == message.Length)
        {
            Tally.Outcome($"answered, then {read.End.ToString().ToLowerInvariant()}");
        }
        else
        {
            Tally.Error(http ? $"answer {StatusOf(read)}" : $"echoed {read.Bytes} of {message.Length} bytes");
        }

        await Pause(TimeSpan.FromMilliseconds(10), stop);
    }

    internal static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
