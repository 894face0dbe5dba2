using System.Net.Sockets;

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="Socket"/>'s blocking members, one partial file per family of
/// operations. In a greenlet, on a socket the user left blocking, each parks only the calling greenlet
/// (see <see cref="CooperativeSocket"/>); elsewhere it is the original call.
/// </summary>
public static partial class SocketPatches
{
    // The states below carry a call's arguments through CooperativeSocket.Run, shared by Receive and Send.

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

    /// <summary>A span send; <see cref="Rest"/> is what is left to send.</summary>
    private ref struct ReadOnlySpanTransfer(ReadOnlySpan<byte> buffer, SocketFlags flags)
    {
        public ReadOnlySpan<byte> Rest = buffer;
        public readonly SocketFlags Flags = flags;
        public int Done;
    }

    /// <summary>A gather/scatter transfer; a partial send replaces <see cref="Buffers"/> with what is left.</summary>
    private struct ListTransfer(IList<ArraySegment<byte>> buffers, SocketFlags flags)
    {
        public IList<ArraySegment<byte>> Buffers = buffers;
        public readonly SocketFlags Flags = flags;
        public int Done;
    }
}
