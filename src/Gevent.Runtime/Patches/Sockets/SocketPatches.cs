using System.Net.Sockets;

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="Socket"/>'s blocking members, one partial file per family of
/// operations. In a greenlet, on a socket the user left blocking, each parks only the calling greenlet
/// (see <see cref="CooperativeSocket"/>); elsewhere it is the original call.
/// </summary>
public static partial class SocketPatches
{
    // The states below carry a call's arguments through CooperativeSocket.Run, shared by Receive and Send. A send's
    // progress is only its Done count, so that a stackless greenlet's frame can keep it (CooperativeSocket.Run).

    /// <summary>An array transfer; <see cref="Done"/> counts what a send has already sent.</summary>
    private struct ArrayTransfer(byte[] buffer, int offset, int size, SocketFlags flags)
    {
        public readonly byte[] Buffer = buffer;
        public readonly int Offset = offset;
        public readonly int Size = size;
        public readonly SocketFlags Flags = flags;
        public int Done;
    }

    private ref struct SpanTransfer(Span<byte> buffer, SocketFlags flags)
    {
        public readonly Span<byte> Buffer = buffer;
        public readonly SocketFlags Flags = flags;
    }

    /// <summary>A span send; <see cref="Done"/> counts what it has already sent.</summary>
    private ref struct ReadOnlySpanTransfer(ReadOnlySpan<byte> buffer, SocketFlags flags)
    {
        public readonly ReadOnlySpan<byte> Buffer = buffer;
        public readonly SocketFlags Flags = flags;
        public int Done;
    }

    /// <summary>A gather/scatter transfer; <see cref="Done"/> counts what a send has already sent.</summary>
    private struct ListTransfer(IList<ArraySegment<byte>> buffers, SocketFlags flags)
    {
        public readonly IList<ArraySegment<byte>> Buffers = buffers;
        public readonly SocketFlags Flags = flags;
        public int Done;
    }
}
