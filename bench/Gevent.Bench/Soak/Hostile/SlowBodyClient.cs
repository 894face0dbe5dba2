using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gevent.Bench.Soak.Hostile;

/// <summary>
/// Slow bodies: a complete head announcing a body that then trickles in at 16 bytes a second, either
/// small enough for the server to drain after answering or too large to. Against the echo server, its
/// mirror image: a client that sends and never reads, so the server's writes stall.
/// </summary>
internal sealed class SlowBodyClient() : HostileClient("slow bodies", loops: 50)
{
    private static readonly TimeSpan s_holdLimit = TimeSpan.FromSeconds(45);
    private static readonly byte[] s_trickle = new byte[16];
    private static readonly byte[] s_flood = new byte[64 * 1024];
    private int _round;

    protected override async Task RoundAsync(IPEndPoint server, bool http, CancellationToken stop)
    {
        if (http)
        {
            await SlowBodyAsync(server, Interlocked.Increment(ref _round) % 2 == 0 ? 1_000 : 1_000_000, stop);
        }
        else
        {
            await NeverReadAsync(server, stop);
        }
    }

    private async Task SlowBodyAsync(IPEndPoint server, int length, CancellationToken stop)
    {
        var size = length < 64 * 1024 ? "small" : "large";
        using var socket = await ConnectAsync(server, stop);
        var reading = ReadToEndAsync(socket, s_holdLimit, stop);
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes($"POST / HTTP/1.1\r\nHost: soak\r\nContent-Length: {length}\r\n\r\n"), SocketFlags.None, stop);
            for (var sent = 0; sent < length && !reading.IsCompleted && !stop.IsCancellationRequested; sent += s_trickle.Length)
            {
                await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(1), stop));
                await socket.SendAsync(s_trickle, SocketFlags.None, stop);
            }
        }
        catch (SocketException)
        {
            // The server closed it mid-body: what the read below reports.
        }

        var read = await reading;
        Tally.Outcome($"{size} body: answer {StatusOf(read)}, {(read.End == ReadEnd.TimedOut ? $"still open after {s_holdLimit.TotalSeconds:0} s" : read.End.ToString().ToLowerInvariant() + " by the server")}");
    }

    private async Task NeverReadAsync(IPEndPoint server, CancellationToken stop)
    {
        var socket = await ConnectAsync(server, stop);
        using var hold = CancellationTokenSource.CreateLinkedTokenSource(stop);
        hold.CancelAfter(s_holdLimit);
        long sent = 0;
        try
        {
            while (true)
            {
                sent += await socket.SendAsync(s_flood, SocketFlags.None, hold.Token);
            }
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            Tally.Outcome($"the server's writes stalled after {(sent < 1024 * 1024 ? "< 1 MiB" : ">= 1 MiB")}, then reset");
        }
        finally
        {
            Reset(socket);
        }
    }
}
