using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;

namespace Gevent.Patches;

/// <summary>
/// <see cref="Stream"/> calls seen through the base type (<c>callvirt Stream::Read</c>). A
/// <see cref="GreenNetworkStream"/> cooperates by itself; a plain <see cref="NetworkStream"/> made by code
/// that was not patched cooperates here, through its socket; a pipe or FIFO is offloaded (<see cref="PipeIo"/>);
/// any other stream gets the virtual call.
/// </summary>
/// <remarks>
/// No <see cref="Stream.Flush"/> replacement: <see cref="NetworkStream.Flush"/> does nothing, and a buffering
/// stream's flush writes through its inner stream's own <c>Write</c>, which is where cooperation happens.
/// </remarks>
public static class StreamPatches
{
    /// <summary>Stream.CopyTo's buffer size for a stream that cannot seek.</summary>
    private const int CopyBufferSize = 81920;

    /// <summary><see cref="Stream.Read(byte[], int, int)"/>, cooperative on a plain <see cref="NetworkStream"/> or a pipe in a greenlet.</summary>
    [Patch(typeof(Stream), nameof(Stream.Read), PatchKind.Virtual, PatchStrategy.NonBlocking)]
    public static int Read(Stream stream, byte[] buffer, int offset, int count) =>
        ReadsPlain(stream, out var plain) && NetworkStreamIo.IsValid(buffer, offset, count)
            ? NetworkStreamIo.Read(plain, buffer.AsSpan(offset, count))
            : PipeIo.Offloads(stream) ? PipeIo.Read(stream, () => stream.Read(buffer, offset, count)) : stream.Read(buffer, offset, count);

    /// <summary><see cref="Stream.Read(Span{byte})"/>, cooperative on a plain <see cref="NetworkStream"/> or a pipe in a greenlet.</summary>
    [Patch(typeof(Stream), nameof(Stream.Read), PatchKind.Virtual, PatchStrategy.NonBlocking)]
    public static int Read(Stream stream, Span<byte> buffer) =>
        ReadsPlain(stream, out var plain)
            ? NetworkStreamIo.Read(plain, buffer)
            : PipeIo.Offloads(stream) ? PipeIo.Read(stream, buffer) : stream.Read(buffer);

    /// <summary><see cref="Stream.Write(byte[], int, int)"/>, cooperative on a plain <see cref="NetworkStream"/> or a pipe in a greenlet.</summary>
    [Patch(typeof(Stream), nameof(Stream.Write), PatchKind.Virtual, PatchStrategy.NonBlocking)]
    public static void Write(Stream stream, byte[] buffer, int offset, int count)
    {
        if (WritesPlain(stream, out var plain) && NetworkStreamIo.IsValid(buffer, offset, count))
        {
            NetworkStreamIo.Write(plain, buffer.AsSpan(offset, count));
        }
        else if (PipeIo.Offloads(stream))
        {
            PipeIo.Write(stream, () => stream.Write(buffer, offset, count));
        }
        else
        {
            stream.Write(buffer, offset, count);
        }
    }

    /// <summary><see cref="Stream.Write(ReadOnlySpan{byte})"/>, cooperative on a plain <see cref="NetworkStream"/> or a pipe in a greenlet.</summary>
    [Patch(typeof(Stream), nameof(Stream.Write), PatchKind.Virtual, PatchStrategy.NonBlocking)]
    public static void Write(Stream stream, ReadOnlySpan<byte> buffer)
    {
        if (WritesPlain(stream, out var plain))
        {
            NetworkStreamIo.Write(plain, buffer);
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

    /// <summary><see cref="Stream.ReadByte"/>, cooperative on a plain <see cref="NetworkStream"/> or a pipe in a greenlet.</summary>
    [Patch(typeof(Stream), nameof(Stream.ReadByte), PatchKind.Virtual, PatchStrategy.NonBlocking)]
    public static int ReadByte(Stream stream)
    {
        if (ReadsPlain(stream, out var plain))
        {
            Span<byte> one = stackalloc byte[1];
            return NetworkStreamIo.Read(plain, one) == 0 ? -1 : one[0];
        }

        return PipeIo.Offloads(stream) ? PipeIo.Read(stream, stream.ReadByte) : stream.ReadByte();
    }

    /// <summary><see cref="Stream.WriteByte"/>, cooperative on a plain <see cref="NetworkStream"/> or a pipe in a greenlet.</summary>
    [Patch(typeof(Stream), nameof(Stream.WriteByte), PatchKind.Virtual, PatchStrategy.NonBlocking)]
    public static void WriteByte(Stream stream, byte value)
    {
        if (WritesPlain(stream, out var plain))
        {
            NetworkStreamIo.Write(plain, [value]);
        }
        else if (PipeIo.Offloads(stream))
        {
            PipeIo.Write(stream, () => stream.WriteByte(value));
        }
        else
        {
            stream.WriteByte(value);
        }
    }

    /// <summary><see cref="Stream.ReadExactly(Span{byte})"/> (not virtual): on a plain <see cref="NetworkStream"/> or a pipe in a greenlet, its reads are this class's.</summary>
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

    /// <summary><see cref="Stream.ReadExactly(byte[], int, int)"/> (not virtual), as <see cref="ReadExactly(Stream, Span{byte})"/>.</summary>
    [Patch(typeof(Stream), nameof(Stream.ReadExactly), PatchKind.Instance, PatchStrategy.NonBlocking)]
    public static void ReadExactly(Stream stream, byte[] buffer, int offset, int count)
    {
        if (ReadsHere(stream))
        {
            ArgumentNullException.ThrowIfNull(buffer);
            ReadAtLeastHere(stream, buffer.AsSpan(offset, count), count, throwOnEndOfStream: true);
        }
        else
        {
            stream.ReadExactly(buffer, offset, count);
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

    /// <summary><see cref="Stream.CopyTo(Stream)"/> (not virtual): cooperative when either end is a plain <see cref="NetworkStream"/> or a pipe.</summary>
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
    /// <see cref="Stream.CopyTo(Stream, int)"/>: cooperative when either end is a plain <see cref="NetworkStream"/>
    /// or a pipe (the base implementation would call its blocking Read or Write); otherwise the virtual call,
    /// under which a <see cref="GreenNetworkStream"/> cooperates by itself.
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
    private static bool ReadsHere(Stream stream) => ReadsPlain(stream, out _) || PipeIo.Offloads(stream);

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

    /// <summary>In a greenlet, a plain network stream this call can read cooperatively.</summary>
    private static bool ReadsPlain(Stream stream, [NotNullWhen(true)] out NetworkStream? plain)
    {
        plain = stream as NetworkStream;
        return plain is not null && IsPlain(plain) && NetworkStreamIo.CanRead(plain);
    }

    /// <summary>In a greenlet, a plain network stream this call can write cooperatively.</summary>
    private static bool WritesPlain(Stream stream, [NotNullWhen(true)] out NetworkStream? plain)
    {
        plain = stream as NetworkStream;
        return plain is not null && IsPlain(plain) && NetworkStreamIo.CanWrite(plain);
    }

    /// <summary>Exactly a <see cref="NetworkStream"/>: a subclass may override Read and Write, and the virtual call must reach it.</summary>
    private static bool IsPlain(NetworkStream stream) => stream.GetType() == typeof(NetworkStream);

    /// <summary>
    /// Whether a copy must be done here, a chunk at a time through the replacements above: in a greenlet,
    /// with a plain network stream or a pipe at either end, and with arguments the BCL accepts (what it
    /// rejects is left to it: it throws before any I/O).
    /// </summary>
    private static bool CopiesHere(Stream source, Stream? destination, int bufferSize) =>
        Hub.CooperativeGreenlet is not null && destination is not null && bufferSize > 0 && source.CanRead && destination.CanWrite &&
        (IsPlainOrPipe(source) || IsPlainOrPipe(destination));

    private static bool IsPlainOrPipe(Stream stream) => (stream is NetworkStream network && IsPlain(network)) || PipeIo.IsPipe(stream);

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
