namespace Gevent.Servers;

/// <summary>
/// The HTTP connections one hub of an <see cref="HttpServer"/> serves: which of them wait idle between requests, so
/// a graceful stop ends those at once while the busy ones finish their request.
/// </summary>
internal sealed class HttpHubConnections(HttpServerOptions options, Action<HttpRequest, HttpResponse> handler) : IConnectionHandler
{
    private readonly HashSet<Greenlet> _idle = [];
    private bool _stopping;

    /// <summary>False: the request parser between the user's handler calls waits on its stream, which has no resumable form.</summary>
    public bool IsResumable => false;

    public void Serve(ServerConnection connection) =>
        new HttpConnection(connection.Stream, connection.RemoteEndPoint, options, handler, () => _stopping, TrackIdle).Serve();

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
}
