using System.Text;

namespace Gevent.Patches;

/// <summary>
/// The bytes a <see cref="GreenStreamReader"/> has read and the characters decoded from them, with
/// <see cref="StreamReader"/>'s rules: the encoding's preamble is skipped, a byte order mark switches the encoding
/// when detection is on, a <see cref="Decoder"/> keeps a character split across two reads, and the end of the stream
/// flushes it (a character cut short is U+FFFD). Everything a
/// fill needs between two reads lives here, so a read that suspends keeps nothing in a frame.
/// </summary>
internal sealed class ReaderBuffers
{
    /// <summary>StreamReader's buffer size when none is given.</summary>
    public const int DefaultSize = 1024;

    /// <summary>StreamReader's smallest buffer: a smaller size asked for is raised to it.</summary>
    private const int MinimumSize = 128;

    private readonly byte[] _bytes;
    private int _byteCount;
    private int _preambleMatched;
    private bool _checkPreamble;
    private bool _detectEncoding;
    private Decoder _decoder;

    public ReaderBuffers(Encoding encoding, bool detectEncodingFromByteOrderMarks, int bufferSize)
    {
        Encoding = encoding;
        _decoder = encoding.GetDecoder();
        _bytes = new byte[Math.Max(bufferSize, MinimumSize)];
        Chars = new char[encoding.GetMaxCharCount(_bytes.Length)];
        _detectEncoding = detectEncodingFromByteOrderMarks;
        _checkPreamble = encoding.Preamble.Length > 0;
    }

    /// <summary>The encoding in use: the one given, or the one a byte order mark named.</summary>
    public Encoding Encoding { get; private set; }

    /// <summary>The decoded characters; those from <see cref="Position"/> to <see cref="Length"/> are not read yet.</summary>
    public char[] Chars { get; private set; }

    public int Position { get; set; }

    public int Length { get; private set; }

    /// <summary>Characters decoded and not read yet.</summary>
    public int Available => Length - Position;

    /// <summary>
    /// Whether the last read returned fewer bytes than asked for: StreamReader's <c>Read(char[]…)</c> then stops rather
    /// than wait for more (unless the characters decoded filled what it asked for: it clears this then).
    /// </summary>
    public bool Blocked { get; set; }

    /// <summary>Starts a fill of the empty character buffer.</summary>
    public void BeginFill()
    {
        Position = Length = 0;
        if (!_checkPreamble)
        {
            _byteCount = 0;
        }
    }

    /// <summary>Where the next read of the stream goes.</summary>
    public ArraySegment<byte> ReadTarget => _checkPreamble ? new(_bytes, _preambleMatched, _bytes.Length - _preambleMatched) : new(_bytes);

    /// <summary>
    /// Takes <paramref name="read"/> bytes the stream put at <see cref="ReadTarget"/>. False at the end of the stream;
    /// otherwise the fill goes on while <see cref="Length"/> is 0 (a preamble or a character's first bytes only).
    /// </summary>
    public bool TakeRead(int read)
    {
        if (_checkPreamble)
        {
            if (read == 0)
            {
                // A partial preamble at the end of the stream was text after all.
                EndOfStream();
                return false;
            }

            _byteCount += read;
        }
        else
        {
            _byteCount = read;
            if (read == 0)
            {
                EndOfStream();
                return false;
            }
        }

        Blocked = _byteCount < _bytes.Length;
        if (SkipsPreamble())
        {
            return true;
        }

        if (_detectEncoding && _byteCount >= 2)
        {
            DetectEncoding();
        }

        Length = _decoder.GetChars(_bytes, 0, _byteCount, Chars, 0, flush: false);
        return true;
    }

    /// <summary>StreamReader's <c>DiscardBufferedData</c>: what is buffered is dropped and the decoder starts afresh.</summary>
    public void Discard()
    {
        _byteCount = Position = Length = 0;
        _decoder = Encoding.GetDecoder();
        Blocked = false;
    }

    /// <summary>At the end of the stream what is left is decoded and the decoder flushed.</summary>
    private void EndOfStream()
    {
        Length = _decoder.GetChars(_bytes, 0, _byteCount, Chars, 0, flush: true);
        _preambleMatched = _byteCount = 0;
    }

    /// <summary>
    /// Matches the bytes read so far against the encoding's preamble: true while they may still be it (the fill reads
    /// on), and a full match is removed from the buffer and stops byte order mark detection.
    /// </summary>
    private bool SkipsPreamble()
    {
        if (!_checkPreamble)
        {
            return false;
        }

        var preamble = Encoding.Preamble;
        var end = Math.Min(_byteCount, preamble.Length);
        for (; _preambleMatched < end; _preambleMatched++)
        {
            if (_bytes[_preambleMatched] != preamble[_preambleMatched])
            {
                _preambleMatched = 0;
                _checkPreamble = false;
                return false;
            }
        }

        if (_preambleMatched == preamble.Length)
        {
            Drop(preamble.Length);
            _preambleMatched = 0;
            _checkPreamble = false;
            _detectEncoding = false;
            return false;
        }

        return true;
    }

    /// <summary>StreamReader's byte order marks: UTF-16 of either order, UTF-8, UTF-32 of either order; two bytes that are none may be the start of a UTF-32 big-endian one.</summary>
    private void DetectEncoding()
    {
        _detectEncoding = false;
        var (first, second) = (_bytes[0], _bytes[1]);
        var (encoding, markLength) = (first, second) switch
        {
            (0xFE, 0xFF) => (Encoding.BigEndianUnicode, 2),
            (0xFF, 0xFE) when _byteCount >= 4 && _bytes[2] == 0 && _bytes[3] == 0 => (Encoding.UTF32, 4),
            (0xFF, 0xFE) => (Encoding.Unicode, 2),
            (0xEF, 0xBB) when _byteCount >= 3 && _bytes[2] == 0xBF => (Encoding.UTF8, 3),
            (0, 0) when _byteCount >= 4 && _bytes[2] == 0xFE && _bytes[3] == 0xFF => (new UTF32Encoding(bigEndian: true, byteOrderMark: true), 4),
            _ => ((Encoding?)null, 0),
        };
        if (encoding is null)
        {
            _detectEncoding = _byteCount == 2;
            return;
        }

        Encoding = encoding;
        Drop(markLength);
        _decoder = encoding.GetDecoder();
        var charsNeeded = encoding.GetMaxCharCount(_bytes.Length);
        if (charsNeeded > Chars.Length)
        {
            Chars = new char[charsNeeded];
        }
    }

    private void Drop(int count)
    {
        Buffer.BlockCopy(_bytes, count, _bytes, 0, _byteCount - count);
        _byteCount -= count;
    }
}
