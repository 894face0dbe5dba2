using System.Net;
using System.Net.Sockets;

namespace Gevent.Bench.Soak.Hostile;

/// <summary>
/// One kind of misbehaving client, run as <see cref="Loops"/> loops at once until the soak stops it.
/// Every loop is bounded twice: by the stop token and by <see cref="MaxIterationsPerLoop"/>.
/// Socket failures are tallied by kind; the server resetting or closing on a hostile client is one of
/// the outcomes each kind expects or not.
/// </summary>
internal abstract class HostileClient
{
    /// <summary>No loop runs more rounds than this, whatever the duration.</summary>
    public const int MaxIterationsPerLoop = 1_000_000;

    protected HostileClient(string name, int loops)
    {
        Name = name;
        Loops = loops;
    }

    public string Name { get; }

    /// <summary>How many of this client's loops run at once (connections, for those that hold one each).</summary>
    public int Loops { get; }

    public Tally Tally { get; } = new();

    public Task RunAsync(IPEndPoint server, bool http, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, Loops).Select(loop => Task.Run(async () =>
        {
            for (var i = 0; i < MaxIterationsPerLoop && !stop.IsCancellationRequested; i++)
            {
                try
                {
                    await RoundAsync(server, http, stop);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException e)
                {
                    Tally.Error($"socket {e.SocketErrorCode}");
                    await Pause(TimeSpan.FromMilliseconds(100), stop);
                }
            }
        })));

    /// <summary>One connection's worth of misbehaviour.</summary>
    protected abstract Task RoundAsync(IPEndPoint server, bool http, CancellationToken stop);

    protected static async Task<Socket> ConnectAsync(IPEndPoint server, CancellationToken stop)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, stop);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Closes with an RST instead of a FIN (SO_LINGER 0): the server's next read or write on it fails.</summary>
    protected static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Dispose();
    }

    protected static async Task Pause(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop sees the token.
        }
    }

    /// <summary>
    /// Reads until the server closes (or resets) the connection or <paramref name="limit"/> passes, keeping
    /// the first <paramref name="keep"/> bytes; the soak's stop ends it early too.
    /// </summary>
    protected static async Task<ReadToEnd> ReadToEndAsync(Socket socket, TimeSpan limit, CancellationToken stop, int keep = 64)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(limit);
        var buffer = new byte[16 * 1024];
        var kept = new byte[keep];
        long total = 0;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    return new ReadToEnd(ReadEnd.Closed, total, kept[..(int)Math.Min(total, keep)]);
                }

                buffer.AsSpan(0, (int)Math.Min(read, Math.Max(0, keep - total))).CopyTo(kept.AsSpan((int)Math.Min(total, keep)));
                total += read;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return new ReadToEnd(ReadEnd.Reset, total, kept[..(int)Math.Min(total, keep)]);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return new ReadToEnd(ReadEnd.TimedOut, total, kept[..(int)Math.Min(total, keep)]);
        }
    }

    /// <summary>"HTTP/1.1 400" → "400", or what else came back: "no answer", "not HTTP".</summary>
    protected static string StatusOf(ReadToEnd read) =>
        read.Bytes == 0 ? "no answer"
        : read.First.Length >= 12 && System.Text.Encoding.ASCII.GetString(read.First[..9]) == "HTTP/1.1 " ? System.Text.Encoding.ASCII.GetString(read.First[9..12])
        : "not HTTP";
}

/// <summary>How a read to the end finished.</summary>
internal enum ReadEnd
{
    Closed,
    Reset,
    TimedOut,
}

/// <summary>What <see cref="HostileClient"/> read before the end: how it ended, how much, and the first bytes.</summary>
internal sealed record ReadToEnd(ReadEnd End, long Bytes, byte[] First);
