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
        group.MapPost("/echo", (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            return reader.ReadToEnd();
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
        group.MapGet("/throw", string () => throw new InvalidOperationException("the handler failed"));
        return routes;
    }
}
