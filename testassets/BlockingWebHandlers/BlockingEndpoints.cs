using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace BlockingWebHandlers;

/// <summary>Minimal API endpoints whose handlers block the way legacy code does.</summary>
public static class BlockingEndpoints
{
    private static readonly AsyncLocal<string?> s_requestId = new();

    /// <summary>Maps the endpoints under <c>/blocking</c>.</summary>
    public static IEndpointRouteBuilder MapBlockingEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/blocking");
        group.MapGet("/sleep", (int ms) =>
        {
            Thread.Sleep(ms);
            return "slept";
        });
        group.MapGet("/wait", (int ms) =>
        {
            Task.Delay(ms).Wait();
            return "waited";
        });
        group.MapGet("/after-await", async (int ms) =>
        {
            await Task.Yield();
            Thread.Sleep(ms);
            return WhereAmI.Describe();
        });
        group.MapGet("/where", WhereAmI.Describe);
        group.MapPost("/echo", (HttpContext context, string? tag) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            return ReadingProbe.Reading(tag ?? "", reader.ReadToEnd);
        });
        group.MapGet("/reading", (string tag) => ReadingProbe.IsReading(tag));
        group.MapGet("/write", (HttpContext context, int kb) =>
        {
            var kilobyte = new byte[1024];
            Array.Fill(kilobyte, (byte)'x');
            for (var i = 0; i < kb; i++)
            {
                context.Response.Body.Write(kilobyte);
            }

            context.Response.Body.Flush();
        });
        group.MapGet("/own-id", async (string id, int ms, IHttpContextAccessor accessor) =>
        {
            s_requestId.Value = id;
            Thread.Sleep(ms);
            await Task.Yield();
            Thread.Sleep(ms);
            return $"{accessor.HttpContext?.Request.Query["id"]}/{s_requestId.Value}";
        });
        group.MapGet("/counted", (int ms) =>
        {
            using var _ = ConcurrencyProbe.Enter();
            Thread.Sleep(ms);
            return "counted";
        });
        group.MapGet("/abortable", (int ms) => AbortProbe.Observe(() => Thread.Sleep(ms)));
        group.MapGet("/abortable-read", () => AbortProbe.Observe(() =>
        {
            // A peer that accepts and never answers: the read waits until something ends it.
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            using var client = new TcpClient();
            client.Connect((IPEndPoint)listener.LocalEndpoint);
            using var peer = listener.AcceptTcpClient();
            client.GetStream().ReadByte();
        }));
        group.MapGet("/throw", string () => throw new InvalidOperationException("the handler failed"));
        group.MapGet("/throw-after-await", async Task<string> () =>
        {
            await Task.Yield();
            Thread.Sleep(1);
            throw new InvalidOperationException("the handler failed after an await");
        });
        return routes;
    }
}
