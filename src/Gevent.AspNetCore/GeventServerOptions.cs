namespace Gevent.AspNetCore;

/// <summary>Settings of the server that runs each request of an ASP.NET Core app in a greenlet.</summary>
public sealed class GeventServerOptions
{
    /// <summary>The default of <see cref="MaxConcurrentRequests"/>.</summary>
    public const int DefaultMaxConcurrentRequests = 1000;

    /// <summary>
    /// How many hubs share the requests, each with its own event loop and thread (default 1). Requests are handed to
    /// the hubs in turn. One by default until spreading requests over hubs has been measured to pay (hubs of one
    /// process share its CPUs and its greenlet threads).
    /// </summary>
    public int HubCount { get; set; } = 1;

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
