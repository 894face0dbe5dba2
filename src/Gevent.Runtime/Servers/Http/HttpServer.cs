using System.Net;
using Gevent.CompilerServices;

namespace Gevent.Servers;

/// <summary>
/// An HTTP/1.1 server (pywsgi's role) with a synchronous handler: read the <see cref="HttpRequest"/>,
/// fill the <see cref="HttpResponse"/>; each connection runs in its own greenlet on a <see cref="StreamServer"/>,
/// by default spread over one hub per CPU (<see cref="StreamServerOptions.Hubs"/>).
/// <code>
/// using var server = HttpServer.Create(new IPEndPoint(IPAddress.Loopback, 8080), request => "Hello, World!");
/// server.ServeForever();
/// </code>
/// </summary>
public sealed class HttpServer : IDisposable
{
    private readonly StreamServer _server;

    /// <summary>A server that will listen on <paramref name="endPoint"/> and call <paramref name="handler"/> for each request.</summary>
    /// <remarks>
    /// When <paramref name="handler"/> is woven with resumable frames, each connection runs in a stackless greenlet
    /// (tier 2) and it and the handler wait without a thread of their own; otherwise each connection has a thread, unless
    /// <see cref="HttpServerOptions.StacklessConnections"/> says otherwise.
    /// </remarks>
    public HttpServer(EndPoint endPoint, Action<HttpRequest, HttpResponse> handler, HttpServerOptions? options = null, StreamServerOptions? serverOptions = null)
        : this(endPoint, handler, handler is not null && ResumableGreenlet.IsResumable(handler), options, serverOptions)
    {
    }

    private HttpServer(EndPoint endPoint, Action<HttpRequest, HttpResponse> handler, bool handlerResumable, HttpServerOptions? options, StreamServerOptions? serverOptions)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var http = options ?? new HttpServerOptions();
        http.Validate();
        _server = new StreamServer(endPoint, () => new HttpHubConnections(http, handler, handlerResumable), serverOptions);
    }

    /// <summary>Where the server listens, once started.</summary>
    public EndPoint? LocalEndPoint => _server.LocalEndPoint;

    /// <summary>How many hubs serve the connections (see <see cref="StreamServerOptions.Hubs"/>).</summary>
    public int HubCount => _server.HubCount;

    /// <summary>Connections open now.</summary>
    public int ConnectionCount => _server.ConnectionCount;

    /// <summary>The simple case: every request gets <paramref name="text"/>'s result as <c>text/plain; charset=utf-8</c>.</summary>
    public static HttpServer Create(EndPoint endPoint, Func<HttpRequest, string> text, HttpServerOptions? options = null, StreamServerOptions? serverOptions = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var textResumable = ResumableGreenlet.IsResumable(text);
        return new HttpServer(endPoint, new TextHandler(text, textResumable).Handle, textResumable, options, serverOptions);
    }

    /// <summary>Starts listening and accepting in a greenlet; returns at once.</summary>
    public void Start() => _server.Start();

    /// <summary>Starts (if needed) and blocks the calling greenlet until the server stops.</summary>
    public void ServeForever() => _server.ServeForever();

    /// <summary>
    /// Graceful stop: no new connections; a connection finishes its current request and closes instead of
    /// waiting for another; after <paramref name="timeout"/> (default 1 s) the rest are closed.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from a greenlet of one of the server's own hubs when it has several.</exception>
    public void Stop(TimeSpan? timeout = null) => _server.Stop(timeout);

    /// <summary>Stops at once.</summary>
    public void Dispose() => _server.Dispose();
}
