using Gevent.AspNetCore.Scheduling;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace Gevent.AspNetCore.Hosting;

/// <summary>
/// The application the wrapped server sees: each request's context is created and its pipeline run in a greenlet.
/// The context is disposed where the server asks for it, synchronously, because the server reuses the connection's
/// features for its next request as soon as <see cref="DisposeContext"/> returns; it runs under the request's
/// ExecutionContext, so that it clears the request's own AsyncLocal state.
/// </summary>
internal sealed class GreenletApplication<TContext>(IHttpApplication<TContext> inner, RequestDispatcher dispatcher)
    : IHttpApplication<GreenletApplication<TContext>.Request>
    where TContext : notnull
{
    public Request CreateContext(IFeatureCollection contextFeatures) => new(contextFeatures);

    public Task ProcessRequestAsync(Request request) => dispatcher.RunAsync(request.Features, () =>
    {
        request.Context = inner.CreateContext(request.Features);
        request.ExecutionContext = ExecutionContext.Capture();
        return inner.ProcessRequestAsync(request.Context);
    });

    public void DisposeContext(Request request, Exception? exception)
    {
        if (request.Context is not { } context)
        {
            return;
        }

        if (request.ExecutionContext is not { } executionContext)
        {
            inner.DisposeContext(context, exception);
            return;
        }

        ExecutionContext.Run(executionContext, static state =>
        {
            var (inner, context, exception) = ((IHttpApplication<TContext>, TContext, Exception?))state!;
            inner.DisposeContext(context, exception);
        }, (inner, context, exception));
    }

    /// <summary>A request as the wrapped server holds it: its features, and the application's context once created.</summary>
    internal sealed class Request(IFeatureCollection features)
    {
        public IFeatureCollection Features { get; } = features;

        public TContext? Context { get; set; }

        public ExecutionContext? ExecutionContext { get; set; }
    }
}
