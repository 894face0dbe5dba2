using System.Net.Sockets;
using System.Text;
using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// A <see cref="StreamReader"/> patched code makes over a network stream (exactly a <see cref="GreenNetworkStream"/> or
/// a plain <see cref="NetworkStream"/>) is a <see cref="GreenStreamReader"/>, whose reads a stackless greenlet can
/// suspend in (<see cref="TextReaderPatches"/> dispatches woven code's reads to it); over any other stream, or with
/// arguments the BCL rejects, the original constructor runs. Also here: the reader's members that are not virtual.
/// </summary>
/// <remarks>
/// The constructors never wait (<see cref="NeverWaitsAttribute"/>): a method making a reader is not kept from becoming
/// a resumable frame by it, and a <see cref="StreamReader"/> subclass chaining to one of them (which stays the BCL's
/// reader) is left as it is without a warning.
/// </remarks>
public static class StreamReaderPatches
{
    /// <summary><see cref="StreamReader(Stream)"/>.</summary>
    [Patch(typeof(StreamReader), ".ctor", PatchKind.Constructor, PatchStrategy.NonBlocking)]
    [NeverWaits]
    public static StreamReader NewStreamReader(Stream stream) => NewStreamReader(stream, Encoding.UTF8, true, -1, false);

    /// <summary><see cref="StreamReader(Stream, bool)"/>.</summary>
    [Patch(typeof(StreamReader), ".ctor", PatchKind.Constructor, PatchStrategy.NonBlocking)]
    [NeverWaits]
    public static StreamReader NewStreamReader(Stream stream, bool detectEncodingFromByteOrderMarks) =>
        NewStreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks, -1, false);

    /// <summary><see cref="StreamReader(Stream, Encoding)"/>.</summary>
    [Patch(typeof(StreamReader), ".ctor", PatchKind.Constructor, PatchStrategy.NonBlocking)]
    [NeverWaits]
    public static StreamReader NewStreamReader(Stream stream, Encoding encoding) => NewStreamReader(stream, encoding, true, -1, false);

    /// <summary><see cref="StreamReader(Stream, Encoding, bool)"/>.</summary>
    [Patch(typeof(StreamReader), ".ctor", PatchKind.Constructor, PatchStrategy.NonBlocking)]
    [NeverWaits]
    public static StreamReader NewStreamReader(Stream stream, Encoding encoding, bool detectEncodingFromByteOrderMarks) =>
        NewStreamReader(stream, encoding, detectEncodingFromByteOrderMarks, -1, false);

    /// <summary><see cref="StreamReader(Stream, Encoding, bool, int)"/>.</summary>
    [Patch(typeof(StreamReader), ".ctor", PatchKind.Constructor, PatchStrategy.NonBlocking)]
    [NeverWaits]
    public static StreamReader NewStreamReader(Stream stream, Encoding encoding, bool detectEncodingFromByteOrderMarks, int bufferSize) =>
        NewStreamReader(stream, encoding, detectEncodingFromByteOrderMarks, bufferSize, false);

    /// <summary>
    /// <see cref="StreamReader(Stream, Encoding, bool, int, bool)"/>, which the other overloads call with the defaults
    /// the BCL's own overloads pass to it (UTF-8, detection on, buffer size -1 for the default, not left open).
    /// </summary>
    [Patch(typeof(StreamReader), ".ctor", PatchKind.Constructor, PatchStrategy.NonBlocking)]
    [NeverWaits]
    public static StreamReader NewStreamReader(Stream stream, Encoding? encoding, bool detectEncodingFromByteOrderMarks, int bufferSize, bool leaveOpen) =>
        Replaces(stream, bufferSize)
            ? new GreenStreamReader(stream, encoding ?? Encoding.UTF8, detectEncodingFromByteOrderMarks, bufferSize == -1 ? ReaderBuffers.DefaultSize : bufferSize, leaveOpen)
            : new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks, bufferSize, leaveOpen);

    /// <summary>
    /// <see cref="StreamReader.EndOfStream"/> (not virtual), which may read the stream: a green reader's is resumable;
    /// any other reader's is the original.
    /// </summary>
    [Patch(typeof(StreamReader), nameof(StreamReader.EndOfStream), PatchKind.Getter, PatchStrategy.NonBlocking)]
    [Resumable]
    public static bool EndOfStream(StreamReader reader)
    {
        if (reader is GreenStreamReader green)
        {
            return green.IsAtEnd();
        }

        FrameStack.Current?.Enter();
        return reader.EndOfStream;
    }

    /// <summary><see cref="StreamReader.DiscardBufferedData"/> (not virtual): a green reader drops its own buffers.</summary>
    [Patch(typeof(StreamReader), nameof(StreamReader.DiscardBufferedData), PatchKind.Instance, PatchStrategy.NonBlocking)]
    [NeverWaits]
    public static void DiscardBufferedData(StreamReader reader)
    {
        if (reader is GreenStreamReader green)
        {
            green.DiscardBuffered();
        }
        else
        {
            reader.DiscardBufferedData();
        }
    }

    /// <summary>A readable network stream whose reads are its socket's, and a buffer size the BCL accepts.</summary>
    private static bool Replaces(Stream stream, int bufferSize) =>
        stream is NetworkStream network && StreamPatches.IsSocketStream(network) && network.CanRead && (bufferSize == -1 || bufferSize > 0);
}
