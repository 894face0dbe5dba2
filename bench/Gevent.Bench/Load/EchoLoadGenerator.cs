using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Gevent.Bench.Load;

/// <summary>
/// The echo load generator, run as its own process (<c>echo-load</c>): opens N connections, holds them
/// all open, and has each send a message and check its echo, again and again, for the duration. Prints
/// one JSON object: connections held, round trips, errors.
/// </summary>
internal static class EchoLoadGenerator
{
    private const int MessageSize = 64;
    private const int ConnectsInFlight = 256;

    public static int Run(int port, int connections, TimeSpan duration)
    {
        var result = RunAsync(port, connections, duration).GetAwaiter().GetResult();
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    private static async Task<EchoLoadResult> RunAsync(int port, int connections, TimeSpan duration)
    {
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var sockets = new Socket?[connections];
        var connectErrors = 0;
        using (var gate = new SemaphoreSlim(ConnectsInFlight))
        {
            // Connect in bounded bursts: an unbounded SYN flood overflows the listen backlog.
            await Task.WhenAll(Enumerable.Range(0, connections).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(endPoint);
                    sockets[i] = socket;
                }
                catch (SocketException)
                {
                    Interlocked.Increment(ref connectErrors);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var held = sockets.Count(s => s is not null);
        long roundTrips = 0;
        var errors = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(sockets.Where(s => s is not null).Select(async socket =>
        {
            var message = new byte[MessageSize];
            var echo = new byte[MessageSize];
            Random.Shared.NextBytes(message);
            try
            {
                while (stopwatch.Elapsed < duration)
                {
                    await socket!.SendAsync(message, SocketFlags.None);
                    var received = 0;
                    while (received < MessageSize)
                    {
                        var read = await socket.ReceiveAsync(echo.AsMemory(received), SocketFlags.None);
                        if (read == 0)
                        {
                            throw new SocketException((int)SocketError.ConnectionReset);
                        }

                        received += read;
                    }

                    if (!echo.AsSpan().SequenceEqual(message))
                    {
                        Interlocked.Increment(ref errors);
                        return;
                    }

                    Interlocked.Increment(ref roundTrips);
                }
            }
            catch (SocketException)
            {
                Interlocked.Increment(ref errors);
            }
        }));

        var seconds = stopwatch.Elapsed.TotalSeconds;
        foreach (var socket in sockets)
        {
            socket?.Dispose();
        }

        return new EchoLoadResult(connections, held, roundTrips, roundTrips / seconds, connectErrors + errors);
    }
}

/// <summary>One echo load run.</summary>
internal sealed record EchoLoadResult(int Requested, int Held, long RoundTrips, double RoundTripsPerSecond, int Errors);
