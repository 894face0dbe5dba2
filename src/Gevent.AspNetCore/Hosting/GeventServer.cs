using Gevent.AspNetCore.Scheduling;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace Gevent.AspNetCore.Hosting;

/// <summary>
/// Wraps the app's server (Kestrel): the server keeps its transport, parsing and connection handling on its own
/// threads, and hands each request to a <see cref="GreenletApplication{TContext}"/> that runs it in a greenlet
/// (the model Tomcat and Jetty use for virtual threads). Stopping lets the wrapped server drain requests in flight
/// within the host's shutdown timeout first.
/// </summary>
internal sealed class GeventServer(IServer inner, RequestDispatcher dispatcher) : IServer
{
    public IFeatureCollection Features => inner.Features;

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull =>
        inner.StartAsync(new GreenletApplication<TContext>(application, dispatcher), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

    public void Dispose() => inner.Dispose();
}
