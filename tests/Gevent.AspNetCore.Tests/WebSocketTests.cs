using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Gevent.AspNetCore.Tests;

/// <summary>
/// WebSocket handlers run in a greenlet for the socket's whole life, whether they block on <c>.Result</c> or await,
/// and many sockets' blocking handlers run side by side.
/// </summary>
public sealed class WebSocketTests
{
    private const int Sockets = 20;
    private const int SerialControl = 10;

    [Theory]
    [InlineData(WayIn.UseGevent, "/ws/blocking")]
    [InlineData(WayIn.UseGevent, "/ws/awaiting")]
    [InlineData(WayIn.HostingStartup, "/ws/blocking")]
    [InlineData(WayIn.HostingStartup, "/ws/awaiting")]
    public async Task EachMessageIsAnsweredFromAGreenlet(WayIn way, string path)
    {
        await using var app = await StartAsync(way);
        using var socket = await ConnectAsync(app, $"{path}?ms=1");

        var places = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            places.Add(await EchoAsync(socket, $"message-{i}"));
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);
        var expected = app.GreenletPlaces.ToHashSet();
        Assert.All(places, (answer, i) => Assert.Contains(answer, expected.Select(place => $"message-{i} {place}")));
    }

    [Theory]
    [InlineData("/ws/blocking")]
    [InlineData("/ws/awaiting")]
    public async Task ManySocketsBlockingHandlersRunSideBySide(string path)
    {
        await using var app = await StartAsync(WayIn.UseGevent);
        var sockets = await Task.WhenAll(Enumerable.Range(0, Sockets).Select(_ => ConnectAsync(app, $"{path}?ms=100")));
        try
        {
            // The control: one socket's messages, one after another, each answered after a 100 ms sleep.
            await EchoAsync(sockets[0], "warm-up");
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < SerialControl; i++)
            {
                await EchoAsync(sockets[0], "serial");
            }

            var serial = clock.Elapsed;
            clock.Restart();
            await Task.WhenAll(sockets.Select(socket => EchoAsync(socket, "concurrent")));
            var concurrent = clock.Elapsed;

            Assert.True(serial >= TimeSpan.FromMilliseconds(SerialControl * 100), $"the serial control took only {serial.TotalMilliseconds} ms");
            Assert.True(
                concurrent < serial,
                $"one message on each of {Sockets} sockets took {concurrent.TotalMilliseconds} ms, {SerialControl} on one socket {serial.TotalMilliseconds} ms");
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>Sends <paramref name="message"/> and returns the answer, within a deadline.</summary>
    internal static async Task<string> EchoAsync(WebSocket socket, string message)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
        var buffer = new byte[1024];
        var received = await socket.ReceiveAsync(buffer, deadline.Token);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    /// <summary>Opens a WebSocket to <paramref name="pathAndQuery"/> on <paramref name="app"/>, within a deadline.</summary>
    internal static async Task<ClientWebSocket> ConnectAsync(WebApp app, string pathAndQuery)
    {
        var socket = new ClientWebSocket();
        var uri = new UriBuilder(new Uri(app.Client.BaseAddress!, pathAndQuery)) { Scheme = "ws" }.Uri;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(uri, deadline.Token);
        return socket;
    }

    /// <summary>Starts an app that accepts WebSockets.</summary>
    internal static Task<WebApp> StartAsync(WayIn way, Action<GeventServerOptions>? options = null) =>
        WebApp.StartAsync(way, builder => builder.Services.Configure(options ?? (_ => { })), middleware: app => app.UseWebSockets());
}
