namespace Gevent.Servers;

/// <summary>
/// The client sent something the server will not process: the connection answers with
/// <see cref="StatusCode"/> (if nothing was sent yet) and closes. Also what a handler sees when it reads
/// a malformed request body.
/// </summary>
public sealed class HttpRequestRejectedException : IOException
{
    /// <summary>Creates the exception with the status to answer.</summary>
    public HttpRequestRejectedException(int statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>400, 413, 414, 431, 501 or 505.</summary>
    public int StatusCode { get; }
}
