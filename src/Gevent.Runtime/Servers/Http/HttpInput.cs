using System.Text;
using Gevent.CompilerServices;
using Gevent.Patches;

namespace Gevent.Servers;

/// <summary>
/// A connection's input, buffered: lines for request heads and chunk sizes, bytes for bodies. Bytes
/// past one request stay buffered for the next, so pipelined requests are read in order.
/// </summary>
/// <remarks>
/// The reads that parse (<see cref="TryReadLine"/>, <see cref="Read"/>) block when the buffer runs dry. A stackless
/// connection greenlet first waits through <see cref="FillUntilHead"/> or <see cref="FillSome"/>, which follow the
/// frame contract, so that the parse that follows finds its bytes buffered.
/// </remarks>
internal sealed class HttpInput(Stream stream, int bufferSize)
{
    private readonly byte[] _buffer = new byte[bufferSize];
    private int _start;
    private int _end;

    /// <summary>True if bytes of a next request already arrived.</summary>
    public bool HasBufferedData => _end > _start;

    /// <summary>
    /// Reads one line ending in LF (a CR before it is dropped; a CR elsewhere is refused). Returns null
    /// if the stream ends before the line's first byte; throws if it ends inside the line.
    /// </summary>
    /// <param name="maxLength">The longest line accepted, without its terminator.</param>
    /// <param name="overflowStatus">The status to refuse a longer line with.</param>
    public string? ReadLine(int maxLength, int overflowStatus) =>
        TryReadLine(maxLength, overflowStatus, out var line) ? Encoding.Latin1.GetString(line) : null;

    /// <summary>
    /// <see cref="ReadLine"/> without making a string: <paramref name="line"/> is the line's bytes in the
    /// buffer, valid until the next read. False if the stream ends before the line's first byte.
    /// </summary>
    public bool TryReadLine(int maxLength, int overflowStatus, out ReadOnlySpan<byte> line)
    {
        var scanned = 0;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start + scanned, _end - _start - scanned);
            if (newline >= 0)
            {
                var length = newline - _start;
                if (length > 0 && _buffer[newline - 1] == '\r')
                {
                    length--;
                }

                if (length > maxLength)
                {
                    throw new HttpRequestRejectedException(overflowStatus, $"A line of the request is longer than {maxLength} bytes.");
                }

                line = _buffer.AsSpan(_start, length);
                if (line.IndexOf((byte)'\r') >= 0)
                {
                    throw new HttpRequestRejectedException(400, "A bare CR inside a line of the request.");
                }

                _start = newline + 1;
                return true;
            }

            scanned = _end - _start;
            if (scanned > maxLength + 1)
            {
                throw new HttpRequestRejectedException(overflowStatus, $"A line of the request is longer than {maxLength} bytes.");
            }

            if (!Fill())
            {
                if (scanned == 0)
                {
                    line = default;
                    return false;
                }

                throw new HttpRequestRejectedException(400, "The connection closed in the middle of a line of the request.");
            }
        }
    }

    /// <summary>Reads up to <paramref name="destination"/>'s length of body bytes; 0 at the end of the stream.</summary>
    public int Read(Span<byte> destination)
    {
        if (_end == _start)
        {
            // Large reads skip the buffer.
            if (destination.Length >= _buffer.Length)
            {
                return stream.Read(destination);
            }

            if (!Fill())
            {
                return 0;
            }
        }

        var count = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(destination);
        _start += count;
        return count;
    }

    /// <summary>
    /// Reads until the buffer holds a whole request head (so <see cref="HttpRequestParser.ReadHead"/> reads no more),
    /// the buffer is full (a head longer than it is read on by the parser) or the stream ends.
    /// </summary>
    /// <remarks>
    /// Resumable (<see cref="FrameStack"/>), with no frame of its own: what it has read is in the buffer, and a linked
    /// caller calls it again to resume, with the same free space to read into.
    /// </remarks>
    [Resumable]
    public void FillUntilHead()
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        while (!HasCompleteHead())
        {
            Compact();
            if (_end == _buffer.Length)
            {
                return;
            }

            if (linked)
            {
                frames!.Link();
            }

            var read = StreamPatches.Read(stream, _buffer, _end, _buffer.Length - _end);
            if (frames is { IsSuspending: true })
            {
                return;
            }

            _end += read;
            if (read == 0)
            {
                return;
            }
        }
    }

    /// <summary>Reads once if nothing is buffered, so that the next <see cref="Read"/> has bytes or finds the stream's end.</summary>
    /// <remarks>Resumable, as <see cref="FillUntilHead"/> is.</remarks>
    [Resumable]
    public void FillSome()
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        if (_end > _start)
        {
            return;
        }

        _start = _end = 0;
        if (linked)
        {
            frames!.Link();
        }

        var read = StreamPatches.Read(stream, _buffer, 0, _buffer.Length);
        if (frames is { IsSuspending: true })
        {
            return;
        }

        _end = read;
    }

    /// <summary>
    /// True if the buffer holds a request head up to its empty line (after at most the leading empty lines the parser
    /// skips), or more leading empty lines than it skips: either way the parser decides without reading more.
    /// </summary>
    private bool HasCompleteHead()
    {
        var leadingEmptyLines = 0;
        var sawLine = false;
        for (var at = _start; at < _end;)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', at, _end - at);
            if (newline < 0)
            {
                return false;
            }

            var empty = newline == at || (newline == at + 1 && _buffer[at] == '\r');
            if (empty && (sawLine || ++leadingEmptyLines > HttpRequestParser.MaxLeadingEmptyLines))
            {
                return true;
            }

            sawLine |= !empty;
            at = newline + 1;
        }

        return false;
    }

    /// <summary>Reads more from the stream into the buffer (compacting it first); false at the end of the stream.</summary>
    private bool Fill()
    {
        Compact();
        if (_end == _buffer.Length)
        {
            return true;
        }

        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        return read > 0;
    }

    /// <summary>Moves the unread bytes to the start of the buffer.</summary>
    private void Compact()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
    }
}
