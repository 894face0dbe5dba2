using System.Net;

namespace Gevent.Bench.Soak.Hostile;

/// <summary>
/// 10,000 connections opened and held, sending nothing; one the server closes is opened again. The
/// HTTP server is expected to close them at its head timeout; the echo server to keep them.
/// </summary>
internal sealed class IdleConnections() : HostileClient("idle connections", loops: Count)
{
    public const int Count = 10_000;

    // Connect in bounded bursts: an unbounded SYN flood overflows the listen backlog.
    private readonly SemaphoreSlim _connecting = new(256);

    protected override async Task RoundAsync(IPEndPoint server, bool http, CancellationToken stop)
    {
        await _connecting.WaitAsync(stop);
        System.Net.Sockets.Socket socket;
        try
        {
            socket = await ConnectAsync(server, stop);
        }
        finally
        {
            _connecting.Release();
        }

        using var _ = socket;
        var read = await ReadToEndAsync(socket, Timeout.InfiniteTimeSpan, stop);
        var what = $"{read.End.ToString().ToLowerInvariant()} by the server";
        if (http)
        {
            Tally.Outcome($"{what}, answer {StatusOf(read)}");
        }
        else
        {
            Tally.Error(what);
        }

        await Pause(TimeSpan.FromMilliseconds(100), stop);
    }
}
