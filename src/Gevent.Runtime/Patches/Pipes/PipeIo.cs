using System.Buffers;
using System.IO.Pipes;

namespace Gevent.Patches;

/// <summary>
/// Pipe and FIFO I/O through <see cref="Offload"/>: a <see cref="PipeStream"/> (a child process's standard
/// streams, anonymous and named pipes) or a <see cref="FileStream"/> that cannot seek (a FIFO, a character
/// device) may block for as long as the other end likes, so in a greenlet the call runs on the hub's thread
/// pool. A regular file can seek and stays direct, as in gevent: its reads wait for the disk, not for a peer.
/// </summary>
/// <remarks>
/// Offloaded rather than made non-blocking: the stream owns its descriptor and the BCL's blocking reads
/// elsewhere must keep working. An offloaded call interrupted by a kill or timeout still completes on its
/// pool thread; what it read is lost to the caller, as with any interrupted read.
/// </remarks>
internal static class PipeIo
{
    public static bool IsPipe(Stream? stream) => stream is PipeStream or FileStream { CanSeek: false };

    /// <summary>A span cannot travel to another thread: read into a rented array there, copy here.</summary>
    public static int Read(Stream stream, Span<byte> buffer)
    {
        // Returned to the pool only once the call is over: an interrupted read may still write into it.
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        var count = buffer.Length;
        var read = Offload.Run(stream, () => stream.Read(rented, 0, count));
        rented.AsSpan(0, read).CopyTo(buffer);
        ArrayPool<byte>.Shared.Return(rented);
        return read;
    }

    /// <summary>Copies <paramref name="buffer"/> to a rented array, written on the pool.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        buffer.CopyTo(rented);
        var count = buffer.Length;
        Offload.Run(stream, () => stream.Write(rented, 0, count));
        ArrayPool<byte>.Shared.Return(rented);
    }
}
