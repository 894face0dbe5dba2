using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gevent.Bench.Soak.Hostile;

/// <summary>
/// Slowloris: a request head that never ends, one header line a second (HTTP), or one byte a second
/// (echo). The HTTP server must close it when its head timeout (30 s) passes; the echo server must echo
/// every byte.
/// </summary>
internal sealed class SlowlorisClient() : HostileClient("slowloris heads", loops: 100)
{
    private static readonly TimeSpan s_holdLimit = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan s_trickle = TimeSpan.FromSeconds(1);

    protected override async Task RoundAsync(IPEndPoint server, bool http, CancellationToken stop)
    {
        using var socket = await ConnectAsync(server, stop);
        var reading = ReadToEndAsync(socket, s_holdLimit, stop);
        var sent = 0;
        try
        {
            for (var line = 0; !reading.IsCompleted && !stop.IsCancellationRequested; line++)
            {
                var piece = http ? Encoding.ASCII.GetBytes(line == 0 ? "GET / HTTP/1.1\r\nHost: soak\r\n" : $"X-Slow-{line}: y\r\n") : [(byte)line];
                sent += await socket.SendAsync(piece, SocketFlags.None, stop);
                await Task.WhenAny(reading, Task.Delay(s_trickle, stop));
            }
        }
        catch (SocketException)
        {
            // The server closed it while a line was on its way: what the read below reports.
        }

        var read = await reading;
        if (http)
        {
            if (read.End == ReadEnd.TimedOut)
            {
                Tally.Error($"head still open after {s_holdLimit.TotalSeconds:0} s");
            }
            else
            {
                Tally.Outcome($"{read.End.ToString().ToLowerInvariant()} by the server, answer {StatusOf(read)}");
            }
        }
        else if (read.End != ReadEnd.TimedOut)
        {
            Tally.Error($"{read.End.ToString().ToLowerInvariant()} by the echo server");
        }
        else if (read.Bytes == sent)
        {
            Tally.Outcome("every byte echoed");
        }
        else
        {
            Tally.Error("echo short");
        }
    }
}
