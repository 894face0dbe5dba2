using Gevent.CompilerServices;

namespace Gevent.Servers;

/// <summary>
/// The HTTP connections one hub of an <see cref="HttpServer"/> serves: which of them wait idle between requests, so
/// a graceful stop ends those at once while the busy ones finish their request.
/// </summary>
/// <param name="options">Limits and timeouts.</param>
/// <param name="handler">Called once per request.</param>
/// <param name="handlerResumable">Whether <paramref name="handler"/> follows the frame contract (woven with resumable frames).</param>
internal sealed class HttpHubConnections(HttpServerOptions options, Action<HttpRequest, HttpResponse> handler, bool handlerResumable) : IConnectionHandler
{
    private readonly HashSet<Greenlet> _idle = [];
    private bool _stopping;

    /// <summary>
    /// As <see cref="HttpServerOptions.StacklessConnections"/> says: by default when the handler is resumable. The
    /// connection's own waits (for a request head, a slow reader, a body to drain) follow the frame contract; a handler
    /// that does not is called unlinked, so its waits pin its greenlet while it runs.
    /// </summary>
    public bool IsResumable { get; } = options.StacklessConnections ?? handlerResumable;

    /// <remarks>Resumable: keeps the connection in a frame while it is suspended.</remarks>
    [Resumable]
    public void Serve(ServerConnection connection)
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        var http = linked && frames!.IsResuming
            ? ((ConnectionFrame)frames.Pop()).Connection
            : new HttpConnection(connection.Stream, connection.RemoteEndPoint, options, handler, () => _stopping, TrackIdle, handlerResumable);
        if (linked)
        {
            frames!.Link();
        }

        http.Serve();
        if (frames is { IsSuspending: true })
        {
            frames.Push(new ConnectionFrame(http));
        }
    }

    public void Stopping()
    {
        _stopping = true;
        Greenlet.KillAll(_idle.ToList(), block: false);
    }

    private void TrackIdle(bool idle)
    {
        if (idle)
        {
            _idle.Add(Greenlet.Current);
        }
        else
        {
            _idle.Remove(Greenlet.Current);
        }
    }

    /// <summary>What a connection's greenlet keeps here while it is suspended.</summary>
    private sealed class ConnectionFrame(HttpConnection connection) : ResumableFrame
    {
        public HttpConnection Connection { get; } = connection;
    }
}
