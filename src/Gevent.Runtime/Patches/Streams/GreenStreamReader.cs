using System.Text;
using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// What patched code's <c>new StreamReader(stream…)</c> makes over a network stream (<see cref="StreamReaderPatches"/>):
/// a <see cref="StreamReader"/> with the BCL's results whose reads are resumable. It fills its own buffers
/// (<see cref="ReaderBuffers"/>) through <see cref="StreamPatches.Read(Stream, byte[], int, int)"/>, so a stackless
/// greenlet whose woven code reads a line waits at the socket without a thread, as it does at a woven
/// <c>Stream.Read</c>; the BCL's reader waits under its own un-woven <c>ReadBuffer</c> and pins there.
/// </summary>
/// <remarks>
/// <para>
/// Every read follows the frame contract. What a read has consumed so far lives in the object (a line begun, a
/// line ended by a <c>'\r'</c> whose next character is not read yet), so a suspended <see cref="ReadLine"/> keeps no
/// frame and a kill or timeout there loses nothing: the next <see cref="ReadLine"/> returns the whole line. A read
/// resuming skips everything before its wait (the object may have been closed meanwhile: the wait reports it).
/// Entered from un-woven code (the link not set) its wait pins, as the BCL reader's would.
/// </para>
/// <para>
/// The base <see cref="StreamReader"/> is built over an <see cref="EndOfStreamProbe"/> and never reads the network
/// stream: <c>ReadBlock</c> and span reads call the overrides here, the async reads are overridden too (over the same
/// buffers, through the stream's own async reads, so an async reader holds no thread); its non-virtual
/// <see cref="StreamReader.EndOfStream"/>, called by un-woven code, asks this reader through the probe.
/// </para>
/// </remarks>
internal sealed class GreenStreamReader : StreamReader
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly ReaderBuffers _buffers;
    private readonly EndOfStreamProbe _probe;
    private StringBuilder? _line;
    private string? _lineBeforeCr;
    private bool _disposed;

    public GreenStreamReader(Stream stream, Encoding encoding, bool detectEncodingFromByteOrderMarks, int bufferSize, bool leaveOpen)
        : this(new EndOfStreamProbe(), stream, encoding, detectEncodingFromByteOrderMarks, bufferSize, leaveOpen)
    {
    }

    private GreenStreamReader(EndOfStreamProbe probe, Stream stream, Encoding encoding, bool detectEncodingFromByteOrderMarks, int bufferSize, bool leaveOpen)
        : base(probe, EndOfStreamProbe.Encoding, detectEncodingFromByteOrderMarks: false, EndOfStreamProbe.BufferSize, leaveOpen: false)
    {
        _probe = probe;
        probe.Reader = this;
        _stream = stream;
        _leaveOpen = leaveOpen;
        _buffers = new ReaderBuffers(encoding, detectEncodingFromByteOrderMarks, bufferSize);
    }

    /// <inheritdoc />
    public override Stream BaseStream => _stream;

    /// <inheritdoc />
    public override Encoding CurrentEncoding => _buffers.Encoding;

    /// <inheritdoc />
    public override string? ReadLine()
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        var resuming = linked && frames!.IsResuming;
        if (!resuming)
        {
            BeginRead();
        }

        while (true)
        {
            if (!resuming && TakeLine(out var line))
            {
                return line;
            }

            resuming = false;
            if (!Fill(frames, linked, out var decoded))
            {
                return null;
            }

            if (decoded == 0)
            {
                return TakeLastLine();
            }
        }
    }

    /// <inheritdoc />
    public override int Read() => NextChar(consume: true);

    /// <inheritdoc />
    public override int Peek() => NextChar(consume: false);

    /// <summary>The next character, taken when <paramref name="consume"/>; -1 at the end; 0 while suspended.</summary>
    private int NextChar(bool consume)
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        var resuming = linked && frames!.IsResuming;
        if (!resuming)
        {
            BeginRead();
        }

        if (resuming || _buffers.Available == 0)
        {
            if (!Fill(frames, linked, out var decoded))
            {
                return 0;
            }

            if (decoded == 0)
            {
                return -1;
            }
        }

        var next = _buffers.Chars[_buffers.Position];
        if (consume)
        {
            _buffers.Position++;
        }

        return next;
    }

    /// <inheritdoc />
    /// <remarks>
    /// As StreamReader's: reads on while the last read filled the byte buffer, or what it decoded filled the rest of
    /// <paramref name="buffer"/>. A stackless greenlet suspended after
    /// the first part keeps the count copied so far in a <see cref="StreamReadFrame"/>.
    /// </remarks>
    public override int Read(char[] buffer, int index, int count)
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        var resuming = linked && frames!.IsResuming;
        var done = 0;
        if (resuming)
        {
            done = ((StreamReadFrame)frames!.Pop()).Done;
        }
        else
        {
            Validate(buffer, index, count);
            BeginRead();
        }

        while (done < count)
        {
            var available = _buffers.Available;
            if (resuming || available == 0)
            {
                resuming = false;
                if (!Fill(frames, linked, out available))
                {
                    frames!.Push(new StreamReadFrame(done));
                    return 0;
                }

                if (available == 0)
                {
                    break;
                }

                _buffers.Blocked &= available < count - done;
            }

            done += CopyTo(buffer.AsSpan(index + done, count - done));
            if (_buffers.Blocked)
            {
                break;
            }
        }

        return done;
    }

    /// <inheritdoc />
    /// <remarks>A stackless greenlet suspended in it keeps the text read so far in a <see cref="TextReadFrame"/>.</remarks>
    public override string ReadToEnd()
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        var resuming = linked && frames!.IsResuming;
        StringBuilder text;
        if (resuming)
        {
            text = ((TextReadFrame)frames!.Pop()).Text;
        }
        else
        {
            BeginRead();
            text = new StringBuilder(_buffers.Available);
        }

        while (true)
        {
            if (!resuming)
            {
                text.Append(_buffers.Chars, _buffers.Position, _buffers.Available);
                _buffers.Position = _buffers.Length;
            }

            resuming = false;
            if (!Fill(frames, linked, out var decoded))
            {
                frames!.Push(new TextReadFrame(text));
                return null!;
            }

            if (decoded == 0)
            {
                return text.ToString();
            }
        }
    }

    /// <inheritdoc />
    public override Task<string?> ReadLineAsync() => ReadLineAsync(default).AsTask();

    /// <inheritdoc />
    public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        BeginRead();
        while (true)
        {
            if (TakeLine(out var line))
            {
                return line;
            }

            if (await FillAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return TakeLastLine();
            }
        }
    }

    /// <inheritdoc />
    public override Task<string> ReadToEndAsync() => ReadToEndAsync(default);

    /// <inheritdoc />
    public override async Task<string> ReadToEndAsync(CancellationToken cancellationToken)
    {
        BeginRead();
        var text = new StringBuilder(_buffers.Available);
        do
        {
            text.Append(_buffers.Chars, _buffers.Position, _buffers.Available);
            _buffers.Position = _buffers.Length;
        }
        while (await FillAsync(cancellationToken).ConfigureAwait(false) > 0);
        return text.ToString();
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(char[] buffer, int index, int count)
    {
        Validate(buffer, index, count);
        return ReadAsync(buffer.AsMemory(index, count)).AsTask();
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
    {
        BeginRead();
        var done = 0;
        while (done < buffer.Length)
        {
            var available = _buffers.Available;
            if (available == 0)
            {
                available = await FillAsync(cancellationToken).ConfigureAwait(false);
                if (available == 0)
                {
                    break;
                }

                _buffers.Blocked &= available < buffer.Length - done;
            }

            done += CopyTo(buffer.Span[done..]);
            if (_buffers.Blocked)
            {
                break;
            }
        }

        return done;
    }

    /// <inheritdoc />
    public override Task<int> ReadBlockAsync(char[] buffer, int index, int count)
    {
        Validate(buffer, index, count);
        return ReadBlockAsync(buffer.AsMemory(index, count)).AsTask();
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadBlockAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
    {
        int done = 0, read;
        do
        {
            read = await ReadAsync(buffer[done..], cancellationToken).ConfigureAwait(false);
            done += read;
        }
        while (read > 0 && done < buffer.Length);
        return done;
    }

    /// <summary>
    /// <see cref="StreamReader.EndOfStream"/>, which is not virtual: <see cref="StreamReaderPatches.EndOfStream"/> calls it
    /// for woven code, <see cref="EndOfStreamProbe"/> for un-woven code. A line begun by an interrupted
    /// <see cref="ReadLine"/> is not the end.
    /// </summary>
    public bool IsAtEnd()
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        var resuming = linked && frames!.IsResuming;
        if (!resuming)
        {
            BeginRead();
            if (_buffers.Available > 0 || _line is not null || _lineBeforeCr is not null)
            {
                return false;
            }
        }

        return Fill(frames, linked, out var decoded) && decoded == 0;
    }

    /// <summary><see cref="StreamReader.DiscardBufferedData"/>, which is not virtual (<see cref="StreamReaderPatches.DiscardBufferedData"/>).</summary>
    public void DiscardBuffered()
    {
        _buffers.Discard();
        _line = null;
        _lineBeforeCr = null;
        base.DiscardBufferedData();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (disposing && !_leaveOpen)
            {
                _stream.Close();
            }
        }
        finally
        {
            base.Dispose(disposing);
        }
    }

    /// <summary>The arguments StreamReader's <c>Read(char[], int, int)</c> accepts.</summary>
    private static void Validate(char[] buffer, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (buffer.Length - index < count)
        {
            throw new ArgumentException("Offset and length were out of bounds for the array or count is greater than the number of elements from index to the end of the source collection.");
        }
    }

    /// <summary>Copies the characters buffered that fit in <paramref name="destination"/>; returns how many.</summary>
    private int CopyTo(Span<char> destination)
    {
        var copied = Math.Min(_buffers.Available, destination.Length);
        _buffers.Chars.AsSpan(_buffers.Position, copied).CopyTo(destination);
        _buffers.Position += copied;
        return copied;
    }

    /// <summary><see cref="Fill"/> for the async reads, through the stream's own async read.</summary>
    private async ValueTask<int> FillAsync(CancellationToken cancellationToken)
    {
        _buffers.BeginFill();
        do
        {
            var target = _buffers.ReadTarget;
            if (!_buffers.TakeRead(await _stream.ReadAsync(target.AsMemory(), cancellationToken).ConfigureAwait(false)))
            {
                break;
            }
        }
        while (_buffers.Length == 0);
        return _buffers.Length;
    }

    /// <summary>
    /// Every read but a resumed one starts here: a closed reader throws as StreamReader's does, and a character the
    /// base reader took from the <see cref="EndOfStreamProbe"/> is dropped.
    /// </summary>
    private void BeginRead()
    {
        ObjectDisposedException.ThrowIf(_disposed, typeof(StreamReader));
        if (_probe.Answered)
        {
            _probe.Answered = false;
            base.DiscardBufferedData();
        }
    }

    /// <summary>
    /// Fills the empty character buffer from the stream: <paramref name="decoded"/> is the number of characters, 0 at
    /// the end of the stream. False while the greenlet suspends (the caller saves its frame, if any, and returns).
    /// </summary>
    private bool Fill(FrameStack? frames, bool linked, out int decoded)
    {
        decoded = 0;
        if (frames is not { IsResuming: true })
        {
            _buffers.BeginFill();
        }

        do
        {
            var target = _buffers.ReadTarget;
            if (linked)
            {
                frames!.Link();
            }

            var read = StreamPatches.Read(_stream, target.Array!, target.Offset, target.Count);
            if (frames is { IsSuspending: true })
            {
                return false;
            }

            if (!_buffers.TakeRead(read))
            {
                break;
            }
        }
        while (_buffers.Length == 0);

        decoded = _buffers.Length;
        return true;
    }

    /// <summary>
    /// The next line from the characters buffered, as StreamReader's <c>ReadLine</c> finds it; false when the buffer
    /// runs out first (the line begun is kept) or ends with a <c>'\r'</c> whose next character is not read yet.
    /// </summary>
    private bool TakeLine(out string? line)
    {
        line = null;
        if (_lineBeforeCr is not null)
        {
            if (_buffers.Available == 0)
            {
                return false;
            }

            if (_buffers.Chars[_buffers.Position] == '\n')
            {
                _buffers.Position++;
            }

            (line, _lineBeforeCr) = (_lineBeforeCr, null);
            return true;
        }

        var rest = _buffers.Chars.AsSpan(_buffers.Position, _buffers.Available);
        var end = rest.IndexOfAny('\r', '\n');
        if (end < 0)
        {
            if (!rest.IsEmpty)
            {
                (_line ??= new StringBuilder(rest.Length + 80)).Append(rest);
                _buffers.Position = _buffers.Length;
            }

            return false;
        }

        line = _line is null ? new string(rest[..end]) : _line.Append(rest[..end]).ToString();
        _line = null;
        _buffers.Position += end + 1;
        if (rest[end] == '\r')
        {
            if (_buffers.Available == 0)
            {
                (_lineBeforeCr, line) = (line, null);
                return false;
            }

            if (_buffers.Chars[_buffers.Position] == '\n')
            {
                _buffers.Position++;
            }
        }

        return true;
    }

    /// <summary>At the end of the stream: the line begun, if any; else null.</summary>
    private string? TakeLastLine()
    {
        var line = _lineBeforeCr ?? _line?.ToString();
        (_line, _lineBeforeCr) = (null, null);
        return line;
    }
}
