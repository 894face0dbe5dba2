using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// <see cref="Stream"/> calls seen through the base type (<c>callvirt Stream::Read</c>). A network stream (a
/// <see cref="GreenNetworkStream"/>, or a plain <see cref="NetworkStream"/> made by code that was not patched)
/// cooperates here, through its socket; a pipe or FIFO is offloaded (<see cref="PipeIo"/>); any other stream
/// gets the virtual call.
/// </summary>
/// <remarks>
/// <para>
/// No <see cref="Stream.Flush"/> replacement: <see cref="NetworkStream.Flush"/> does nothing, and a buffering
/// stream's flush writes through its inner stream's own <c>Write</c>, which is where cooperation happens.
/// </para>
/// <para>
/// The overloads over arrays and single bytes are resumable (<see cref="FrameStack"/>): on a network stream they
/// keep nothing across the socket wait and pass their woven caller's link on to it (<see cref="CooperativeSocket"/>),
/// so a stackless greenlet waits there without a thread. On any other stream they take the link first: the wait
/// below, if any, is under an un-woven frame (a pipe's offload, <c>SslStream</c>, <see cref="BufferedStream"/>…) and pins.
/// </para>
/// </remarks>
public static class StreamPatches
{
    /// <summary>Stream.CopyTo's buffer size for a stream that cannot seek.</summary>
    private const int CopyBufferSize = 81920;

    /// <summary><see cref="Stream.Read(byte[], int, int)"/>, cooperative on a network stream or a pipe in a greenlet.</summary>
    [Patch(typeof(Stream), nameof(Stream.Read), PatchKind.Virtual, PatchStrategy.NonBlocking)]
    [Resumable]
    public static int Read(Stream stream, byte[] buffer, int offset, int count)
    {
        if (ReadsSocket(stream, out var network) && NetworkStreamIo.IsValid(buffer, offset, count))
        {
            return NetworkStreamIo.Read(network, buffer.AsSpan(offset, count));
        }

        TakeLink();
        return PipeIo.Offloads(stream) ? PipeIo.Read(stream, () => stream.Read(buffer, offset, count)) : stream.Read(buffer, offset, count);
    }

    /// <summary><see cref="Stream.Read(Span{byte})"/>, cooperative on a network stream or a pipe in a greenlet.</summary>
    [Patch(typeof(Stream), nameof(Stream.Read), PatchKind.Virtual, PatchStrategy.NonBlocking)]
    public static int Read(Stream stream, Span<byte> buffer) =>
        ReadsSocket(stream, out var network)
            ? NetworkStreamIo.Read(network, buffer)
            : PipeIo.Offloads(stream) ? PipeIo.Read(stream, buffer) : stream.Read(buffer);

    /// <summary><see cref="Stream.Write(byte[], int, int)"/>, cooperative on a network stream or a pipe in a greenlet.</summary>
    [Patch(typeof(Stream), nameof(Stream.Write), PatchKind.Virtual, PatchStrategy.NonBlocking)]
    [Resumable]
    public static void Write(Stream stream, byte[] buffer, int offset, int count)
    {
        if (WritesSocket(stream, out var network) && NetworkStreamIo.IsValid(buffer, offset, count))
        {
            NetworkStreamIo.Write(network, buffer.AsSpan(offset, count));
            return;
        }

        TakeLink();
        if (PipeIo.Offloads(stream))
        {
            PipeIo.Write(stream, () => stream.Write(buffer, offset, count));
        }
        else
        {
            stream.Write(buffer, offset, count);
        }
    }

    /// <summary><see cref="Stream.Write(ReadOnlySpan{byte})"/>, cooperative on a network stream or a pipe in a greenlet.</summary>
    [Patch(typeof(Stream), nameof(Stream.Write), PatchKind.Virtual, PatchStrategy.NonBlocking)]
    public static void Write(Stream stream, ReadOnlySpan<byte> buffer)
    {
        if (WritesSocket(stream, out var network))
        {
            NetworkStreamIo.Write(network, buffer);
        }
        else if (PipeIo.Offloads(stream))
        {
            PipeIo.Write(stream, buffer);
        }
        else
        {
            stream.Write(buffer);
        }
    }

    /// <summary><see cref="Stream.ReadByte"/>, cooperative on a network stream or a pipe in a greenlet.</summary>
    [Patch(typeof(Stream), nameof(Stream.ReadByte), PatchKind.Virtual, PatchStrategy.NonBlocking)]
    [Resumable]
    public static int ReadByte(Stream stream)
    {
        if (ReadsSocket(stream, out var network))
        {
            Span<byte> one = stackalloc byte[1];
            return NetworkStreamIo.Read(network, one) == 0 ? -1 : one[0];
        }

        TakeLink();
        return PipeIo.Offloads(stream) ? PipeIo.Read(stream, stream.ReadByte) : stream.ReadByte();
    }

    /// <summary><see cref="Stream.WriteByte"/>, cooperative on a network stream or a pipe in a greenlet.</summary>
    [Patch(typeof(Stream), nameof(Stream.WriteByte), PatchKind.Virtual, PatchStrategy.NonBlocking)]
    [Resumable]
    public static void WriteByte(Stream stream, byte value)
    {
        if (WritesSocket(stream, out var network))
        {
            NetworkStreamIo.Write(network, [value]);
            return;
        }

        TakeLink();
        if (PipeIo.Offloads(stream))
        {
            PipeIo.Write(stream, () => stream.WriteByte(value));
        }
        else
        {
            stream.WriteByte(value);
        }
    }

    /// <summary><see cref="Stream.ReadExactly(Span{byte})"/> (not virtual): on a network stream or a pipe in a greenlet, its reads are this class's.</summary>
    [Patch(typeof(Stream), nameof(Stream.ReadExactly), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static void ReadExactly(Stream stream, Span<byte> buffer)
    {
        if (ReadsHere(stream))
        {
            ReadAtLeastHere(stream, buffer, buffer.Length, throwOnEndOfStream: true);
        }
        else
        {
            stream.ReadExactly(buffer);
        }
    }

    /// <summary>
    /// <see cref="Stream.ReadExactly(byte[], int, int)"/> (not virtual): on a network stream or a pipe in a greenlet,
    /// its reads are <see cref="Read(Stream, byte[], int, int)"/>'s. Resumable: a stackless greenlet suspended in one of
    /// them keeps what it has read so far in a <see cref="StreamReadFrame"/>.
    /// </summary>
    [Patch(typeof(Stream), nameof(Stream.ReadExactly), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [Resumable]
    public static void ReadExactly(Stream stream, byte[] buffer, int offset, int count)
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        if (!ReadsHere(stream) || !NetworkStreamIo.IsValid(buffer, offset, count))
        {
            // Arguments the BCL rejects are left to it: it throws before any I/O.
            stream.ReadExactly(buffer, offset, count);
            return;
        }

        var total = linked && frames!.IsResuming ? ((StreamReadFrame)frames.Pop()).Done : 0;
        while (total < count)
        {
            if (linked)
            {
                frames!.Link();
            }

            var read = Read(stream, buffer, offset + total, count - total);
            if (frames is { IsSuspending: true })
            {
                frames.Push(new StreamReadFrame(total));
                return;
            }

            if (read == 0)
            {
                throw new EndOfStreamException();
            }

            total += read;
        }
    }

    /// <summary><see cref="Stream.ReadAtLeast(Span{byte}, int, bool)"/> (not virtual), as <see cref="ReadExactly(Stream, Span{byte})"/>.</summary>
    [Patch(typeof(Stream), nameof(Stream.ReadAtLeast), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static int ReadAtLeast(Stream stream, Span<byte> buffer, int minimumBytes, bool throwOnEndOfStream = true)
    {
        if (!ReadsHere(stream))
        {
            return stream.ReadAtLeast(buffer, minimumBytes, throwOnEndOfStream);
        }

        ArgumentOutOfRangeException.ThrowIfNegative(minimumBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minimumBytes, buffer.Length);
        return ReadAtLeastHere(stream, buffer, minimumBytes, throwOnEndOfStream);
    }

    /// <summary><see cref="Stream.CopyTo(Stream)"/> (not virtual): cooperative when either end is a network stream or a pipe.</summary>
    [Patch(typeof(Stream), nameof(Stream.CopyTo), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static void CopyTo(Stream stream, Stream destination)
    {
        if (CopiesHere(stream, destination, CopyBufferSize))
        {
            Copy(stream, destination, CopyBufferSize);
        }
        else
        {
            stream.CopyTo(destination);
        }
    }

    /// <summary>
    /// <see cref="Stream.CopyTo(Stream, int)"/>: cooperative when either end is a network stream or a pipe (the
    /// base implementation would call a plain <see cref="NetworkStream"/>'s blocking Read or Write); otherwise the
    /// virtual call.
    /// </summary>
    [Patch(typeof(Stream), nameof(Stream.CopyTo), PatchKind.Virtual, PatchStrategy.NonBlocking)]
    public static void CopyTo(Stream stream, Stream destination, int bufferSize)
    {
        if (CopiesHere(stream, destination, bufferSize))
        {
            Copy(stream, destination, bufferSize);
        }
        else
        {
            stream.CopyTo(destination, bufferSize);
        }
    }

    /// <summary>In a greenlet, whether this class's reads of <paramref name="stream"/> are not the virtual call's.</summary>
    private static bool ReadsHere(Stream stream) => ReadsSocket(stream, out _) || PipeIo.Offloads(stream);

    /// <summary>The BCL's loop for ReadExactly/ReadAtLeast, each read through <see cref="Read(Stream, Span{byte})"/>.</summary>
    private static int ReadAtLeastHere(Stream stream, Span<byte> buffer, int minimumBytes, bool throwOnEndOfStream)
    {
        var total = 0;
        while (total < minimumBytes)
        {
            var read = Read(stream, buffer[total..]);
            if (read == 0)
            {
                return throwOnEndOfStream ? throw new EndOfStreamException() : total;
            }

            total += read;
        }

        return total;
    }

    /// <summary>
    /// In a greenlet, a network stream this call reads through its socket; and, as a stackless greenlet resumes, the
    /// one it suspended on (the stream may have been closed meanwhile: the socket wait reports it).
    /// </summary>
    private static bool ReadsSocket(Stream stream, [NotNullWhen(true)] out NetworkStream? network)
    {
        network = stream as NetworkStream;
        return network is not null && IsSocketStream(network) && (NetworkStreamIo.CanRead(network) || IsResuming());
    }

    /// <summary>In a greenlet, a network stream this call writes through its socket, as <see cref="ReadsSocket"/>.</summary>
    private static bool WritesSocket(Stream stream, [NotNullWhen(true)] out NetworkStream? network)
    {
        network = stream as NetworkStream;
        return network is not null && IsSocketStream(network) && (NetworkStreamIo.CanWrite(network) || IsResuming());
    }

    /// <summary>
    /// Exactly a <see cref="NetworkStream"/> or a <see cref="GreenNetworkStream"/>, whose reads and writes are their
    /// socket's: a subclass may override Read and Write, and the virtual call must reach it.
    /// </summary>
    internal static bool IsSocketStream(NetworkStream stream) => stream.GetType() is var type && (type == typeof(GreenNetworkStream) || type == typeof(NetworkStream));

    private static bool IsResuming() => FrameStack.Current is { IsResuming: true };

    /// <summary>
    /// Takes a resumable caller's link before a call that goes through code not following the frame contract: left
    /// set, it would let a socket wait under that code (a <see cref="BufferedStream"/> over a network stream) suspend
    /// and lose its frame. The wait pins instead.
    /// </summary>
    private static void TakeLink() => FrameStack.Current?.Enter();

    /// <summary>
    /// Whether a copy must be done here, a chunk at a time through the replacements above: in a greenlet,
    /// with a network stream or a pipe at either end, and with arguments the BCL accepts (what it
    /// rejects is left to it: it throws before any I/O).
    /// </summary>
    private static bool CopiesHere(Stream source, Stream? destination, int bufferSize) =>
        Hub.CooperativeGreenlet is not null && destination is not null && bufferSize > 0 && source.CanRead && destination.CanWrite &&
        (IsSocketStreamOrPipe(source) || IsSocketStreamOrPipe(destination));

    private static bool IsSocketStreamOrPipe(Stream stream) => (stream is NetworkStream network && IsSocketStream(network)) || PipeIo.IsPipe(stream);

    private static void Copy(Stream source, Stream destination, int bufferSize)
    {
        // Returned to the pool only when the copy ends normally: an interrupted offloaded read or write may
        // still be using it on its pool thread.
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        int read;
        while ((read = Read(source, buffer, 0, bufferSize)) > 0)
        {
            Write(destination, buffer, 0, read);
        }

        ArrayPool<byte>.Shared.Return(buffer);
    }
}
