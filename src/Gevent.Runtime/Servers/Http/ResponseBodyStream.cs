using System.Globalization;
using System.Text;

namespace Gevent.Servers;

/// <summary>
/// A response's body as a write-only stream. Holds the first bytes back so that a small body goes out
/// with a Content-Length in one write with the headers; a larger one is chunked for HTTP/1.1, or ends
/// with the connection for HTTP/1.0. Enforces a handler-set Content-Length.
/// </summary>
internal sealed class ResponseBodyStream : Stream
{
    /// <summary>Bytes held back before the headers go out: a body this small gets a Content-Length.</summary>
    public const int HoldBackSize = 8 * 1024;

    private readonly HttpOutput _output;
    private readonly HttpRequest _request;
    private readonly Func<bool> _stopping;
    private readonly byte[] _held;
    private int _heldCount;
    private long _declaredLength = -1;
    private long _bodyBytes;
    private Framing _framing;

    /// <param name="output">The connection's buffered output.</param>
    /// <param name="request">The request this answers (its version, method and keep-alive wish).</param>
    /// <param name="stopping">Asked when the headers go out: a stopping server closes the connection after this response.</param>
    /// <param name="holdBack">The connection's hold-back buffer (<see cref="HoldBackSize"/> bytes), reused by each of its responses.</param>
    public ResponseBodyStream(HttpOutput output, HttpRequest request, Func<bool> stopping, byte[] holdBack)
    {
        _output = output;
        _held = holdBack;
        _request = request;
        _stopping = stopping;
    }

    private enum Framing
    {
        None,
        Length,
        Chunked,
        UntilClose,
    }

    public HttpResponse Response { get; set; } = null!;

    public bool HeadersSent { get; private set; }

    /// <summary>Whether the connection can stay open after this response; decided when headers go out.</summary>
    public bool KeepAlive { get; private set; }


    /// <summary>Body bytes the handler wrote (for the access log).</summary>
    public long BodyBytes => _bodyBytes;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _bodyBytes;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        if (!HttpStatus.AllowsBody(Response.StatusCode))
        {
            throw new InvalidOperationException($"A {Response.StatusCode} response cannot have a body.");
        }

        _bodyBytes += buffer.Length;
        if (HeadersSent && _framing == Framing.Length && _bodyBytes > _declaredLength)
        {
            _bodyBytes -= buffer.Length;
            throw new InvalidOperationException($"Writing {buffer.Length} more bytes would exceed the declared Content-Length of {_declaredLength}.");
        }

        if (!HeadersSent)
        {
            if (_heldCount + buffer.Length <= _held.Length)
            {
                buffer.CopyTo(_held.AsSpan(_heldCount));
                _heldCount += buffer.Length;
                return;
            }

            SendHeaders(complete: false);
        }

        WriteBody(buffer);
    }

    /// <summary>Sends the headers now if they have not gone out, and pushes everything written so far to the client.</summary>
    public override void Flush()
    {
        if (!HeadersSent)
        {
            SendHeaders(complete: false);
        }

        _output.Flush();
    }

    /// <summary>Ends the response in the output: headers if not sent, held bytes, the last chunk. The caller flushes the output, then calls <see cref="ThrowIfLengthUnmet"/>.</summary>
    public void Finish()
    {
        if (!HeadersSent)
        {
            SendHeaders(complete: true);
        }
        else if (_framing == Framing.Chunked)
        {
            _output.Write("0\r\n\r\n"u8);
        }
    }

    /// <summary>Throws if the handler declared a Content-Length and wrote another number of bytes.</summary>
    public void ThrowIfLengthUnmet()
    {
        if (_framing == Framing.Length && _bodyBytes != _declaredLength && !IsHead)
        {
            throw new IOException($"The handler declared Content-Length {_declaredLength} but wrote {_bodyBytes} bytes; the connection is closed.");
        }
    }

    /// <summary>Sends <c>100 Continue</c> before the first body read, unless the final response already started.</summary>
    public void SendContinue()
    {
        if (!HeadersSent)
        {
            _output.Write("HTTP/1.1 100 Continue\r\n\r\n"u8);
            _output.Flush();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private bool IsHead => _request.Method == "HEAD";

    private void SendHeaders(bool complete)
    {
        var response = Response;
        var headers = response.Headers;
        var status = response.StatusCode;
        if (!HttpStatus.AllowsBody(status))
        {
            _framing = Framing.None;
            headers.Remove("Content-Length");
            headers.Remove("Transfer-Encoding");
        }
        else if (headers.TryGet("Content-Length", out var declared))
        {
            if (!long.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out _declaredLength))
            {
                throw new InvalidOperationException($"The response's Content-Length '{declared}' is not a length.");
            }

            if (_bodyBytes > _declaredLength)
            {
                throw new InvalidOperationException($"The handler wrote {_bodyBytes} bytes, more than its Content-Length of {_declaredLength}.");
            }

            _framing = Framing.Length;
            headers.Remove("Transfer-Encoding");
        }
        else if (complete)
        {
            _framing = Framing.Length;
            _declaredLength = _bodyBytes;
            headers["Content-Length"] = _bodyBytes.ToString(CultureInfo.InvariantCulture);
        }
        else if (_request.Version == System.Net.HttpVersion.Version11)
        {
            _framing = Framing.Chunked;
            headers["Transfer-Encoding"] = "chunked";
        }
        else
        {
            _framing = Framing.UntilClose;
        }

        KeepAlive = _request.WantsKeepAlive && !_stopping() && _framing != Framing.UntilClose && !headers.HasToken("Connection", "close");
        if (!KeepAlive)
        {
            headers["Connection"] = "close";
        }
        else if (_request.Version == System.Net.HttpVersion.Version10)
        {
            headers["Connection"] = "keep-alive";
        }

        if (!headers.Contains("Date"))
        {
            headers["Date"] = HttpDate.Now;
        }

        HeadersSent = true;
        WriteHead(status, headers);
        if (_heldCount > 0)
        {
            WriteBody(_held.AsSpan(0, _heldCount));
            _heldCount = 0;
        }
    }

    private void WriteBody(ReadOnlySpan<byte> bytes)
    {
        if (IsHead || _framing == Framing.None)
        {
            return;
        }

        if (_framing == Framing.Chunked)
        {
            Span<byte> size = stackalloc byte[10];
            bytes.Length.TryFormat(size, out var written, "X", CultureInfo.InvariantCulture);
            _output.Write(size[..written]);
            _output.Write("\r\n"u8);
            _output.Write(bytes);
            _output.Write("\r\n"u8);
            return;
        }

        _output.Write(bytes);
    }

    /// <summary>
    /// Writes the status line and the header fields straight into the buffered output: a string built
    /// first, and its bytes, would be garbage at every response.
    /// </summary>
    private void WriteHead(int status, HttpHeaders headers)
    {
        _output.Write(_request.Version == System.Net.HttpVersion.Version10 ? "HTTP/1.0 "u8 : "HTTP/1.1 "u8);
        Span<byte> code = stackalloc byte[11];
        status.TryFormat(code, out var written, default, CultureInfo.InvariantCulture);
        _output.Write(code[..written]);
        _output.Write(" "u8);
        WriteLatin1(HttpStatus.Reason(status));
        _output.Write("\r\n"u8);
        for (var i = 0; headers.TryGetAt(i, out var field); i++)
        {
            WriteLatin1(field.Key);
            _output.Write(": "u8);
            WriteLatin1(field.Value);
            _output.Write("\r\n"u8);
        }

        _output.Write("\r\n"u8);
    }

    /// <summary>Writes <paramref name="text"/> as Latin-1 (a character beyond it becomes '?', as <see cref="Encoding.Latin1"/> makes it).</summary>
    private void WriteLatin1(string text)
    {
        Span<byte> chunk = stackalloc byte[256];
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            var count = Math.Min(rest.Length, chunk.Length);
            Encoding.Latin1.GetBytes(rest[..count], chunk);
            _output.Write(chunk[..count]);
            rest = rest[count..];
        }
    }
}
