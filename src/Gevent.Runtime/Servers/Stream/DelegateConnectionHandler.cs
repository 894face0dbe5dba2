namespace Gevent.Servers;

/// <summary>A user's handler delegate as an <see cref="IConnectionHandler"/>; it has nothing to end early on stop.</summary>
internal sealed class DelegateConnectionHandler(Action<ServerConnection> handler) : IConnectionHandler
{
    public void Serve(ServerConnection connection) => handler(connection);

    public void Stopping()
    {
    }
}
