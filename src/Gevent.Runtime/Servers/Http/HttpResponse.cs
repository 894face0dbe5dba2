using System.Text;

namespace Gevent.Servers;

/// <summary>
/// The response a handler builds: set <see cref="StatusCode"/> and <see cref="Headers"/>, then write the
/// body (or nothing). Headers go out with the first body bytes that do not fit the buffer, or when the
/// handler returns; a body that fits is sent with a Content-Length, a larger one chunked (HTTP/1.1).
/// </summary>
public sealed class HttpResponse
{
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    private const int MaxStackEncodedLength = 256;

    private readonly ResponseBodyStream _body;
    private int _statusCode = 200;

    internal HttpResponse(ResponseBodyStream body) => _body = body;

    /// <summary>The status code, 100–599; 200 by default. Fixed once headers are sent.</summary>
    public int StatusCode
    {
        get => _statusCode;
        set
        {
            ThrowIfHeadersSent();
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 100);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 599);
            _statusCode = value;
        }
    }

    /// <summary>The response headers; Date, Content-Length, Transfer-Encoding and Connection are managed by the server unless set.</summary>
    public HttpHeaders Headers { get; } = new();

    /// <summary>The body; writes may be buffered until the handler returns.</summary>
    public Stream Body => _body;

    /// <summary>True once the status line and headers have gone out; they cannot change after that.</summary>
    public bool HeadersSent => _body.HeadersSent;

    /// <summary>Writes <paramref name="text"/> as UTF-8 to the body.</summary>
    public void Write(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // A short text is encoded on the stack: its bytes as an array would be garbage at every response.
        if (text.Length <= MaxStackEncodedLength)
        {
            Span<byte> bytes = stackalloc byte[MaxStackEncodedLength * 3];
            _body.Write(bytes[..Encoding.UTF8.GetBytes(text, bytes)]);
        }
        else
        {
            _body.Write(Encoding.UTF8.GetBytes(text));
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to the body.</summary>
    public void Write(ReadOnlySpan<byte> bytes) => _body.Write(bytes);

    internal void ThrowIfHeadersSent()
    {
        if (HeadersSent)
        {
            throw new InvalidOperationException("The response headers have already been sent.");
        }
    }
}
