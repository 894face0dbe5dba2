using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipes;
using System.Runtime.CompilerServices;

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
/// pool thread; what it read is lost to the caller, as with any interrupted read. That is why the calls on
/// one stream are serialized (<see cref="Offload.Run{T}(object, Func{T})"/>): reads with reads and writes
/// with writes. A <see cref="PipeStream"/>'s reads and writes are independent system calls, so one greenlet
/// may read a duplex pipe while another writes it, as with a socket; a <see cref="FileStream"/> shares one
/// buffer between both directions, so its reads and writes are serialized together.
/// </remarks>
internal static class PipeIo
{
    private static readonly ConditionalWeakTable<Stream, object> s_writeLanes = [];

    /// <summary>
    /// A pipe or FIFO that is still open. A closed stream is left to the original, which throws
    /// <see cref="ObjectDisposedException"/> itself (a disposed <see cref="FileStream"/> cannot seek either).
    /// </summary>
    public static bool IsPipe([NotNullWhen(true)] Stream? stream) =>
        stream is PipeStream or FileStream { CanSeek: false } && (stream.CanRead || stream.CanWrite);

    /// <summary>The test every pipe path makes: in a greenlet, and a pipe.</summary>
    public static bool Offloads([NotNullWhen(true)] Stream? stream) => Hub.CooperativeGreenlet is not null && IsPipe(stream);

    /// <summary>Runs a read of <paramref name="stream"/> on the pool, after any earlier read of it.</summary>
    public static T Read<T>(Stream stream, Func<T> read) => Run(stream, stream, read);

    /// <summary>Runs a write to <paramref name="stream"/> on the pool, after any earlier write to it.</summary>
    public static void Write(Stream stream, Action write) =>
        Run(stream is PipeStream ? s_writeLanes.GetValue(stream, static _ => new object()) : stream, stream, write);

    /// <summary>
    /// Runs a call on <paramref name="stream"/> on the pool, after any earlier call of its <paramref name="lane"/>
    /// (the stream, its write lane, or the reader or writer over it). Calls of different lanes run at once, so the
    /// stream's socket is made first (<see cref="PipeSockets"/>).
    /// </summary>
    public static T Run<T>(object lane, Stream stream, Func<T> call)
    {
        PipeSockets.CreateOnce(stream);
        return Offload.Run(lane, call);
    }

    /// <summary>Like <see cref="Run{T}(object, Stream, Func{T})"/>, for a call without a result.</summary>
    public static void Run(object lane, Stream stream, Action call)
    {
        PipeSockets.CreateOnce(stream);
        Offload.Run(lane, call);
    }

    /// <summary>A span cannot travel to another thread: read into a rented array there, copy here.</summary>
    public static int Read(Stream stream, Span<byte> buffer)
    {
        // Returned to the pool only once the call is over: an interrupted read may still write into it.
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        var count = buffer.Length;
        var read = Read(stream, () => stream.Read(rented.AsSpan(0, count)));
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
        Write(stream, () => stream.Write(rented.AsSpan(0, count)));
        ArrayPool<byte>.Shared.Return(rented);
    }
}
