namespace Gevent.Servers;

/// <summary>What serves the connections one hub of a <see cref="StreamServer"/> accepts; made on that hub, used only there.</summary>
internal interface IConnectionHandler
{
    /// <summary>
    /// Whether <see cref="Serve"/> follows the <see cref="CompilerServices.FrameStack"/> contract down to every wait, so
    /// that its greenlet can run stackless: a user's handler woven with resumable frames.
    /// </summary>
    bool IsResumable { get; }

    /// <summary>Serves <paramref name="connection"/> in its own greenlet until it is done.</summary>
    void Serve(ServerConnection connection);

    /// <summary>The server stops accepting: connections waiting for more work should end now.</summary>
    void Stopping();
}
