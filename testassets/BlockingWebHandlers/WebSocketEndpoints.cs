using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BlockingWebHandlers;

/// <summary>
/// WebSocket echo endpoints under <c>/ws</c> whose handlers block as legacy code does: each message is answered after
/// <c>Thread.Sleep(ms)</c> with where the handler ran. One loop waits with <c>.Result</c> and <c>.Wait()</c>, the other
/// awaits; <c>/ws/abortable</c> is the blocking one observed by <see cref="AbortProbe"/>.
/// </summary>
public static class WebSocketEndpoints
{
    /// <summary>Maps the endpoints under <c>/ws</c>; the app must call <c>UseWebSockets()</c> first.</summary>
    public static IEndpointRouteBuilder MapWebSocketEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/ws");
        group.Map("/blocking", async (HttpContext context, int ms) => EchoBlocking(await Accept(context), ms));
        group.Map("/awaiting", async (HttpContext context, int ms) => await EchoAwaiting(await Accept(context), ms));
        group.Map("/abortable", async (HttpContext context, int ms) =>
        {
            var socket = await Accept(context);
            AbortProbe.Observe(() => EchoBlocking(socket, ms));
        });
        return routes;
    }

    private static Task<WebSocket> Accept(HttpContext context) =>
        context.WebSockets.IsWebSocketRequest
            ? context.WebSockets.AcceptWebSocketAsync()
            : throw new BadHttpRequestException("a WebSocket request was expected");

    private static void EchoBlocking(WebSocket socket, int ms)
    {
        var buffer = new byte[1024];
        while (true)
        {
            var received = socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None).Result;
            if (received.MessageType == WebSocketMessageType.Close)
            {
                socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).Wait();
                return;
            }

            Thread.Sleep(ms);
            socket.SendAsync(Answer(buffer, received.Count), WebSocketMessageType.Text, true, CancellationToken.None).Wait();
        }
    }

    private static async Task EchoAwaiting(WebSocket socket, int ms)
    {
        var buffer = new byte[1024];
        while (true)
        {
            var received = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), CancellationToken.None);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return;
            }

            // Blocking after an await: the continuation must be in a greenlet for this to cooperate.
            Thread.Sleep(ms);
            await socket.SendAsync(Answer(buffer, received.Count), WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }

    /// <summary>The message received, a space, and where the handler runs.</summary>
    private static ArraySegment<byte> Answer(byte[] buffer, int count) =>
        new(Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetString(buffer, 0, count)} {WhereAmI.Describe()}"));
}
