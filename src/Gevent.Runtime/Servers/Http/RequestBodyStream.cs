using System.Globalization;

namespace Gevent.Servers;

/// <summary>
/// A request's body as a read-only stream: Content-Length or chunked framing over the connection's
/// buffered input. Announces <c>100 Continue</c> on the first read when the client expects it. A
/// malformed body fails the read with <see cref="HttpRequestRejectedException"/>.
/// </summary>
internal sealed class RequestBodyStream : Stream
{
    private readonly HttpInput _input;
    private readonly HttpServerOptions _options;
    private readonly bool _chunked;
    private Action? _beforeFirstRead;
    private long _remaining;
    private long _total;
    private bool _finished;
    private long _drained;
    private byte[]? _scratch;

    public RequestBodyStream(HttpInput input, HttpServerOptions options, long? contentLength, bool chunked, Action? beforeFirstRead)
    {
        _input = input;
        _options = options;
        _chunked = chunked;
        _remaining = contentLength ?? 0;
        _finished = !chunked && _remaining == 0;
        _beforeFirstRead = _finished ? null : beforeFirstRead;
    }

    /// <summary>True once the whole body has been read (always for a request without one).</summary>
    public bool Finished => _finished;

    /// <summary>Trailer fields of a chunked body, once it has been read to the end.</summary>
    public HttpHeaders? Trailers { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _total;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        if (_finished || buffer.IsEmpty)
        {
            return 0;
        }

        if (_beforeFirstRead is { } announce)
        {
            _beforeFirstRead = null;
            announce();
        }

        if (_chunked && _remaining == 0 && !StartChunk())
        {
            return 0;
        }

        var read = _input.Read(buffer[..(int)Math.Min(buffer.Length, _remaining)]);
        if (read == 0)
        {
            throw new HttpRequestRejectedException(400, "The connection closed before the end of the request body.");
        }

        _remaining -= read;
        _total += read;
        if (_remaining == 0)
        {
            if (_chunked)
            {
                ExpectLineEnd();
            }
            else
            {
                _finished = true;
            }
        }

        return read;
    }

    /// <summary>
    /// Reads and discards a piece of the rest of the body (call until <see cref="Finished"/>); false once more than
    /// <paramref name="limit"/> bytes have been discarded and more remain.
    /// </summary>
    /// <remarks>A piece at a time, so that a stackless connection can wait for the next one without a thread.</remarks>
    public bool DrainSome(long limit)
    {
        var allowed = limit - _drained;
        if (_finished)
        {
            return true;
        }

        if (allowed < 0)
        {
            return false;
        }

        // Most requests have no body, or one the handler read: no scratch buffer for them.
        _scratch ??= new byte[4096];

        // Never read more than one byte past the allowance, so the limit holds exactly.
        _drained += Read(_scratch.AsSpan(0, (int)Math.Min(_scratch.Length, allowed + 1)));
        return true;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Reads a chunk-size line; false (and the trailers read) at the last chunk.</summary>
    private bool StartChunk()
    {
        var line = _input.ReadLine(_options.MaxChunkLineLength, 400)
            ?? throw new HttpRequestRejectedException(400, "The connection closed before the end of the chunked body.");
        var sizeText = line.AsSpan();
        var extension = sizeText.IndexOf(';');
        if (extension >= 0)
        {
            sizeText = sizeText[..extension];
        }

        sizeText = sizeText.TrimEnd(" \t");
        if (sizeText.IsEmpty || sizeText.Length > 15 || sizeText.ContainsAnyExcept("0123456789abcdefABCDEF") ||
            !long.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size))
        {
            throw new HttpRequestRejectedException(400, $"'{line}' is not a valid chunk size.");
        }

        if (size == 0)
        {
            Trailers = HttpRequestParser.ReadFields(_input, _options.MaxHeaderCount, _options.MaxTrailerBytes, _options.MaxChunkLineLength);
            _finished = true;
            return false;
        }

        if (_total + size > _options.MaxBodySize)
        {
            throw new HttpRequestRejectedException(413, $"The chunked request body exceeds the limit of {_options.MaxBodySize} bytes.");
        }

        _remaining = size;
        return true;
    }

    private void ExpectLineEnd()
    {
        var line = _input.ReadLine(0, 400);
        if (line is null)
        {
            throw new HttpRequestRejectedException(400, "The connection closed before the end of a chunk.");
        }
    }
}
