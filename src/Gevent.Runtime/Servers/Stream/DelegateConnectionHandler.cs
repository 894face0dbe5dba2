using Gevent.CompilerServices;

namespace Gevent.Servers;

/// <summary>A user's handler delegate as an <see cref="IConnectionHandler"/>; it has nothing to end early on stop.</summary>
internal sealed class DelegateConnectionHandler(Action<ServerConnection> handler) : IConnectionHandler
{
    /// <summary>Read once per server hub, from the delegate's <c>[Resumable]</c> mark (cached per method).</summary>
    public bool IsResumable { get; } = ResumableGreenlet.IsResumable(handler);

    /// <remarks>Resumable, with no frame of its own: it passes its caller's link on to the handler.</remarks>
    [Resumable]
    public void Serve(ServerConnection connection) => handler(connection);

    public void Stopping()
    {
    }
}
