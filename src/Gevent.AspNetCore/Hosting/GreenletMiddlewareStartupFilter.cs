using Gevent.AspNetCore.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;

namespace Gevent.AspNetCore.Hosting;

/// <summary>
/// The way in when the server could not be wrapped: a hosting startup's services are registered before Kestrel's,
/// which then replaces any server registered earlier. The first middleware of the pipeline runs the rest of it in a
/// greenlet; context creation and disposal stay on the server's threads. Does nothing when <see cref="GeventServer"/>
/// already serves the app.
/// </summary>
internal sealed class GreenletMiddlewareStartupFilter(IServer server, RequestDispatcher dispatcher) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        if (server is GeventServer)
        {
            return next;
        }

        return app =>
        {
            app.Use(rest => context => dispatcher.RunAsync(context.Features, () => rest(context)));
            next(app);
        };
    }
}
