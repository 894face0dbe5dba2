using Gevent.AspNetCore.Scheduling;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gevent.AspNetCore.Hosting;

/// <summary>Registers Gevent's hosting services; each way in calls it.</summary>
internal static class GeventServices
{
    /// <summary>The dispatcher, its options and the middleware fallback; safe to call more than once.</summary>
    public static void Add(IServiceCollection services)
    {
        services.AddOptions<GeventServerOptions>().BindConfiguration(GeventServerOptions.ConfigurationSection);
        services.TryAddSingleton(provider => new RequestDispatcher(provider.GetRequiredService<IOptions<GeventServerOptions>>().Value));
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, GreenletMiddlewareStartupFilter>());
    }

    /// <summary>
    /// Replaces the server registered last (Kestrel's, normally) with a <see cref="GeventServer"/> wrapping it.
    /// Without one yet, leaves the middleware fallback to do the work.
    /// </summary>
    public static void WrapServer(IServiceCollection services)
    {
        var index = LastServerIndex(services);
        if (index < 0 || IsGeventServer(services, services[index]))
        {
            return;
        }

        var wrapped = services[index];
        var wrapper = ServiceDescriptor.Singleton<IServer>(provider =>
            new GeventServer((IServer)Create(provider, wrapped), provider.GetRequiredService<RequestDispatcher>()));
        services[index] = wrapper;
        services.AddSingleton(new WrapperDescriptor(wrapper));
    }

    private static bool IsGeventServer(IServiceCollection services, ServiceDescriptor server) =>
        services.Any(d => d.ImplementationInstance is WrapperDescriptor wrapper && wrapper.Descriptor == server);

    private static int LastServerIndex(IServiceCollection services)
    {
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IServer) && !services[i].IsKeyedService)
            {
                return i;
            }
        }

        return -1;
    }

    private static object Create(IServiceProvider provider, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(provider)
        ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);

    /// <summary>Remembers which server registration is Gevent's, so that wrapping twice wraps once.</summary>
    private sealed record WrapperDescriptor(ServiceDescriptor Descriptor);
}
