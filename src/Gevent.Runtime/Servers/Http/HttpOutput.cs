using Gevent.CompilerServices;
using Gevent.Patches;

namespace Gevent.Servers;

/// <summary>
/// A connection's output, buffered: a response's head and small body go out in one write. Unlike a
/// <see cref="BufferedStream"/>, its <see cref="Flush"/> follows the frame contract, so a stackless connection
/// greenlet waits for a slow reader without a thread.
/// </summary>
internal sealed class HttpOutput(Stream stream, int bufferSize)
{
    private readonly byte[] _buffer = new byte[bufferSize];
    private int _count;

    /// <summary>Appends <paramref name="bytes"/>; what does not fit pushes the buffer out first (a large write goes straight through).</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _count)
        {
            Flush();
            if (bytes.Length >= _buffer.Length)
            {
                StreamPatches.Write(stream, bytes);
                return;
            }
        }

        bytes.CopyTo(_buffer.AsSpan(_count));
        _count += bytes.Length;
    }

    /// <summary>Writes out what is buffered.</summary>
    /// <remarks>
    /// Resumable (<see cref="FrameStack"/>), with no frame of its own: the buffer and its count stay as they are until
    /// the write completes, and the socket wait's frame keeps how much of it went out, so a linked caller calls it
    /// again to resume. Called unlinked (from a handler's writes), it blocks, and a stackless greenlet pins.
    /// </remarks>
    [Resumable]
    public void Flush()
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        if (_count == 0)
        {
            return;
        }

        if (linked)
        {
            frames!.Link();
        }

        StreamPatches.Write(stream, _buffer, 0, _count);
        if (frames is { IsSuspending: true })
        {
            return;
        }

        _count = 0;
    }
}
