using Gevent.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Gevent.AspNetCore;

/// <summary>Runs an ASP.NET Core app's requests on greenlets: <c>builder.WebHost.UseGevent()</c>.</summary>
public static class GeventWebHostBuilderExtensions
{
    /// <summary>
    /// Runs each request in a greenlet: context creation, middleware and endpoint, with every <c>await</c> resuming
    /// in a greenlet of the same hub. Blocking calls cooperate where the code making them is patched (the Gevent.Fody
    /// weaver or <c>gevent-patch</c>); synchronous body reads and writes always do. The server registered before this
    /// call (Kestrel) keeps its transport and is wrapped; with none registered yet, the pipeline's first middleware
    /// moves each request onto a greenlet instead.
    /// </summary>
    /// <param name="builder">The app's web host builder, for example <c>WebApplicationBuilder.WebHost</c>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IWebHostBuilder UseGevent(this IWebHostBuilder builder) => builder.UseGevent(static _ => { });

    /// <summary>Like <see cref="UseGevent(IWebHostBuilder)"/>, with the server's settings.</summary>
    /// <param name="builder">The app's web host builder.</param>
    /// <param name="configure">Sets the options: hub count, concurrency bound, synchronous body I/O.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IWebHostBuilder UseGevent(this IWebHostBuilder builder, Action<GeventServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return builder.ConfigureServices(services =>
        {
            GeventServices.Add(services);
            services.Configure(configure);
            GeventServices.WrapServer(services);
        });
    }
}
