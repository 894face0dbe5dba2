using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gevent.Bench.Soak.Hostile;

/// <summary>
/// Abrupt resets (SO_LINGER 0): right after connecting, half-way through a request, or after a burst
/// of requests whose answers it never reads, so the server meets the reset reading, parsing or writing.
/// </summary>
internal sealed class ResetClient() : HostileClient("abrupt resets", loops: 4)
{
    private static readonly byte[] s_httpBurst = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET / HTTP/1.1\r\nHost: soak\r\n\r\n", 20)));
    private static readonly byte[] s_echoBurst = new byte[256 * 1024];
    private int _round;

    protected override async Task RoundAsync(IPEndPoint server, bool http, CancellationToken stop)
    {
        var socket = await ConnectAsync(server, stop);
        var burst = http ? s_httpBurst : s_echoBurst;
        try
        {
            switch (Interlocked.Increment(ref _round) % 3)
            {
                case 0:
                    Tally.Outcome("reset after connecting");
                    break;
                case 1:
                    await socket.SendAsync(burst.AsMemory(0, Random.Shared.Next(1, 30)), SocketFlags.None, stop);
                    Tally.Outcome("reset mid-request");
                    break;
                default:
                    await socket.SendAsync(burst, SocketFlags.None, stop);
                    await Task.Delay(Random.Shared.Next(0, 3), stop);
                    Tally.Outcome("reset with answers unread");
                    break;
            }
        }
        finally
        {
            Reset(socket);
        }

        await Pause(TimeSpan.FromMilliseconds(5), stop);
    }
}
