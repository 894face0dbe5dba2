namespace Gevent.AspNetCore;

/// <summary>Settings of the server that runs each request of an ASP.NET Core app in a greenlet.</summary>
public sealed class GeventServerOptions
{
    /// <summary>
    /// The configuration section the options are read from, before code configures them: with no code change,
    /// <c>Gevent__HubCount=2</c> in the environment sets <see cref="HubCount"/>.
    /// </summary>
    public const string ConfigurationSection = "Gevent";

    /// <summary>The default of <see cref="MaxConcurrentRequests"/>.</summary>
    public const int DefaultMaxConcurrentRequests = 1000;

    /// <summary>
    /// How many hubs share the requests, each with its own event loop and thread (default: one per CPU,
    /// <see cref="Environment.ProcessorCount"/>). Requests are handed to the hubs in turn. A hub runs its greenlets one at
    /// a time, so on a busy machine each hub is a single thread competing for a CPU: with one hub, 1,000 connections to a
    /// <c>Thread.Sleep(50)</c> handler queued for ~10–40 ms before their greenlet started (see docs/benchmarks.md).
    /// </summary>
    public int HubCount { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// The most requests running at once (default <see cref="DefaultMaxConcurrentRequests"/>). Past it a request
    /// waits, before its greenlet starts, for another to finish, and the server stops reading from that connection,
    /// which pushes back on the client. A tier-1 greenlet costs an OS thread while it waits, so this also bounds
    /// the threads requests take.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = DefaultMaxConcurrentRequests;

    /// <summary>
    /// Whether synchronous reads and writes of request and response bodies are allowed (default true, unlike
    /// ASP.NET Core's false). ASP.NET Core refuses them because each one blocks a pool thread; under Gevent a
    /// synchronous body read or write in a request's greenlet parks only that greenlet, so it costs what an
    /// <c>await</c> costs. A request may still change it through <c>IHttpBodyControlFeature</c>.
    /// </summary>
    public bool AllowSynchronousIO { get; set; } = true;
}
