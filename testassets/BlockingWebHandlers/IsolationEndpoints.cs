using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BlockingWebHandlers;

/// <summary>
/// Endpoints under <c>/isolation</c> that read per-request state (the request's Activity, a logging scope, a scoped
/// service) after blocking, awaiting and blocking again, so that state another request set meanwhile would show.
/// </summary>
public static class IsolationEndpoints
{
    /// <summary>Maps the endpoints under <c>/isolation</c>; <see cref="RequestScoped"/> must be registered as scoped.</summary>
    public static IEndpointRouteBuilder MapIsolationEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/isolation");
        group.MapGet("/trace", async (int ms) =>
        {
            await BlockAwaitBlock(ms);
            return Activity.Current?.TraceId.ToString() ?? "no activity";
        });
        group.MapGet("/log-scope", async (string id, int ms, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger("BlockingWebHandlers.Isolation");
            using (logger.BeginScope("scope {Id}", id))
            {
                await BlockAwaitBlock(ms);
                logger.LogInformation("done {Id}", id);
            }

            return id;
        });
        group.MapGet("/scoped", async (int ms, [FromServices] RequestScoped first, HttpContext context) =>
        {
            await BlockAwaitBlock(ms);
            var again = context.RequestServices.GetRequiredService<RequestScoped>();
            return $"{first.Id} {again.Id}";
        });
        return routes;
    }

    private static async Task BlockAwaitBlock(int ms)
    {
        Thread.Sleep(ms);
        await Task.Yield();
        Thread.Sleep(ms);
    }
}
