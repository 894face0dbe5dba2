using System.Text;

namespace Gevent.Patches;

/// <summary>
/// The stream a <see cref="GreenStreamReader"/>'s base <see cref="StreamReader"/> is built over, so that the base never
/// reads the network stream behind the green reader's buffers. Its one reader is the base's non-virtual
/// <see cref="StreamReader.EndOfStream"/> called by un-woven code: it answers with nothing at the green reader's end,
/// else with one character, which the green reader drops from the base before its next read.
/// </summary>
internal sealed class EndOfStreamProbe : Stream
{
    /// <summary>The base reader's encoding: one byte, one character, no preamble.</summary>
    public static readonly Encoding Encoding = Encoding.Latin1;

    /// <summary>The base reader's buffer size (StreamReader raises any smaller one to it).</summary>
    public const int BufferSize = 128;

    public GreenStreamReader? Reader { get; set; }

    /// <summary>Whether the base reader holds a character from this probe.</summary>
    public bool Answered { get; set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (count == 0 || Reader!.IsAtEnd())
        {
            return 0;
        }

        buffer[offset] = (byte)' ';
        Answered = true;
        return 1;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
