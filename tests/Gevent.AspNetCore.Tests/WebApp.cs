using System.Diagnostics;
using BlockingWebHandlers;
using Gevent.AspNetCore.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gevent.AspNetCore.Tests;

/// <summary>A real Kestrel app on 127.0.0.1 (port 0) serving the blocking handlers, and a client for it.</summary>
internal sealed class WebApp : IAsyncDisposable
{
    private const int SerialRequests = 10;
    private const int ConcurrentRequests = 20;
    private const int BlockingPeriodMs = 250;

    private static readonly string[] s_hostingStartupArgs = ["--hostingStartupAssemblies=Gevent.AspNetCore"];

    private WebApp(WebApplication app, HttpClient client)
    {
        App = app;
        Client = client;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    /// <summary>The ids of the hubs requests run on.</summary>
    public IReadOnlySet<int> HubIds => App.Services.GetRequiredService<RequestDispatcher>().Hubs.Select(h => h.Hub.Id).ToHashSet();

    /// <summary>What <c>WhereAmI.Describe</c> answers in a greenlet of one of the server's hubs.</summary>
    public IEnumerable<string> GreenletPlaces => HubIds.Select(id => $"greenlet:{id}");

    public IServer Server => App.Services.GetRequiredService<IServer>();

    /// <summary>
    /// Starts an app; <paramref name="configure"/> turns Gevent on (or not) and sets anything else, <paramref name="middleware"/>
    /// adds middleware before the endpoints, and <paramref name="handler"/> is the client's (for HTTPS, say).
    /// </summary>
    public static async Task<WebApp> StartAsync(
        Action<WebApplicationBuilder> configure,
        string[]? args = null,
        Action<WebApplication>? middleware = null,
        HttpMessageHandler? handler = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args ?? [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<RequestScoped>();
        builder.Services.AddControllers().AddApplicationPart(typeof(BlockingController).Assembly);
        configure(builder);

        var app = builder.Build();
        middleware?.Invoke(app);
        app.MapBlockingEndpoints();
        app.MapIsolationEndpoints();
        app.MapWebSocketEndpoints();
        app.MapControllers();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var client = new HttpClient(handler ?? new SocketsHttpHandler()) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        return new WebApp(app, client);
    }

    /// <summary>Starts an app with Gevent turned on <paramref name="way"/>; the rest as <see cref="StartAsync(Action{WebApplicationBuilder}, string[], Action{WebApplication}, HttpMessageHandler)"/>.</summary>
    public static Task<WebApp> StartAsync(
        WayIn way,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? middleware = null,
        HttpMessageHandler? handler = null) => StartAsync(
            builder =>
            {
                if (way == WayIn.UseGevent)
                {
                    builder.WebHost.UseGevent();
                }

                configure?.Invoke(builder);
            },
            way == WayIn.HostingStartup ? s_hostingStartupArgs : null,
            middleware,
            handler);

    /// <summary>Starts an app with <c>UseGevent()</c>.</summary>
    public static Task<WebApp> StartWithGeventAsync(Action<GeventServerOptions>? options = null) =>
        StartAsync(builder => builder.WebHost.UseGevent(options ?? (_ => { })));

    /// <summary>
    /// Asserts that 20 requests to the blocking <paramref name="endpoint"/> (given <c>?ms=</c> 250) side by side take
    /// less time than 10 one after another, the control measured in the same test: one blocked at a time would take 20
    /// periods. The period is long and the concurrent round starts warm (its connections open, the paths run side by
    /// side once) because on a loaded machine each request's own work (a TLS handshake, the JIT) can rival 100 ms.
    /// </summary>
    public async Task AssertBlocksConcurrentlyAsync(string endpoint)
    {
        var path = $"{endpoint}?ms={BlockingPeriodMs}";
        await Task.WhenAll(Enumerable.Range(0, ConcurrentRequests).Select(_ => Client.GetStringAsync(path)));
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < SerialRequests; i++)
        {
            await Client.GetStringAsync(path);
        }

        var serial = clock.Elapsed;
        clock.Restart();
        await Task.WhenAll(Enumerable.Range(0, ConcurrentRequests).Select(_ => Client.GetStringAsync(path)));
        var concurrent = clock.Elapsed;

        Assert.True(serial >= TimeSpan.FromMilliseconds(SerialRequests * BlockingPeriodMs), $"the serial control took only {serial.TotalMilliseconds} ms");
        Assert.True(
            concurrent < serial,
            $"{ConcurrentRequests} concurrent requests to {path} took {concurrent.TotalMilliseconds} ms, {SerialRequests} serial ones {serial.TotalMilliseconds} ms");
    }

    /// <summary>
    /// Stops and disposes the app, each within a minute (twice the host's default shutdown timeout): a request stuck
    /// on a blocked hub then fails its test instead of hanging the run.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync().WaitAsync(TimeSpan.FromMinutes(1));
        await App.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromMinutes(1));
    }
}
