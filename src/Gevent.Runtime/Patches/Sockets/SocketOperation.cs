namespace Gevent.Patches;

/// <summary>
/// What a cooperative socket call does. It decides the readiness the call waits for, the socket timeout
/// it honours, and the error it reports when the socket is closed under it.
/// </summary>
internal enum SocketOperation
{
    /// <summary>Receive or ReceiveFrom: waits to read, honours <c>ReceiveTimeout</c>.</summary>
    Receive,

    /// <summary>Send, SendTo or SendFile: waits to write, honours <c>SendTimeout</c>.</summary>
    Send,

    /// <summary>Accept: waits to read, no timeout (as the BCL's, which ignores <c>ReceiveTimeout</c> here).</summary>
    Accept,

    /// <summary>Connect: waits to write, no timeout.</summary>
    Connect,
}
