using System.Net.Sockets;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Sockets;

/// <summary>
/// Every sync Receive and Send overload, as the BCL call and as its replacement, by name, so each test can
/// run over all of them. Each receives into / sends the whole of the given buffer and returns the count; the
/// out-SocketError overloads throw what they report, so all read alike.
/// </summary>
internal static class TransferOverloads
{
    public delegate int Transfer(Socket socket, byte[] buffer);

    public static readonly Dictionary<string, (Transfer Bcl, Transfer Green)> Receivers = new()
    {
        ["byte[]"] = ((s, b) => s.Receive(b), (s, b) => SocketPatches.Receive(s, b)),
        ["byte[], flags"] = ((s, b) => s.Receive(b, SocketFlags.None), (s, b) => SocketPatches.Receive(s, b, SocketFlags.None)),
        ["byte[], size, flags"] = ((s, b) => s.Receive(b, b.Length, SocketFlags.None), (s, b) => SocketPatches.Receive(s, b, b.Length, SocketFlags.None)),
        ["byte[], offset, size, flags"] = ((s, b) => s.Receive(b, 0, b.Length, SocketFlags.None), (s, b) => SocketPatches.Receive(s, b, 0, b.Length, SocketFlags.None)),
        ["byte[], offset, size, flags, out error"] = (
            (s, b) => Checked(s.Receive(b, 0, b.Length, SocketFlags.None, out var e), e),
            (s, b) => Checked(SocketPatches.Receive(s, b, 0, b.Length, SocketFlags.None, out var e), e)),
        ["span"] = ((s, b) => s.Receive(b.AsSpan()), (s, b) => SocketPatches.Receive(s, b.AsSpan())),
        ["span, flags"] = ((s, b) => s.Receive(b.AsSpan(), SocketFlags.None), (s, b) => SocketPatches.Receive(s, b.AsSpan(), SocketFlags.None)),
        ["span, flags, out error"] = (
            (s, b) => Checked(s.Receive(b.AsSpan(), SocketFlags.None, out var e), e),
            (s, b) => Checked(SocketPatches.Receive(s, b.AsSpan(), SocketFlags.None, out var e), e)),
        ["segments"] = ((s, b) => s.Receive(Segments(b)), (s, b) => SocketPatches.Receive(s, Segments(b))),
        ["segments, flags"] = ((s, b) => s.Receive(Segments(b), SocketFlags.None), (s, b) => SocketPatches.Receive(s, Segments(b), SocketFlags.None)),
        ["segments, flags, out error"] = (
            (s, b) => Checked(s.Receive(Segments(b), SocketFlags.None, out var e), e),
            (s, b) => Checked(SocketPatches.Receive(s, Segments(b), SocketFlags.None, out var e), e)),
    };

    public static readonly Dictionary<string, (Transfer Bcl, Transfer Green)> Senders = new()
    {
        ["byte[]"] = ((s, b) => s.Send(b), (s, b) => SocketPatches.Send(s, b)),
        ["byte[], flags"] = ((s, b) => s.Send(b, SocketFlags.None), (s, b) => SocketPatches.Send(s, b, SocketFlags.None)),
        ["byte[], size, flags"] = ((s, b) => s.Send(b, b.Length, SocketFlags.None), (s, b) => SocketPatches.Send(s, b, b.Length, SocketFlags.None)),
        ["byte[], offset, size, flags"] = ((s, b) => s.Send(b, 0, b.Length, SocketFlags.None), (s, b) => SocketPatches.Send(s, b, 0, b.Length, SocketFlags.None)),
        ["byte[], offset, size, flags, out error"] = (
            (s, b) => Checked(s.Send(b, 0, b.Length, SocketFlags.None, out var e), e),
            (s, b) => Checked(SocketPatches.Send(s, b, 0, b.Length, SocketFlags.None, out var e), e)),
        ["span"] = ((s, b) => s.Send((ReadOnlySpan<byte>)b), (s, b) => SocketPatches.Send(s, (ReadOnlySpan<byte>)b)),
        ["span, flags"] = ((s, b) => s.Send((ReadOnlySpan<byte>)b, SocketFlags.None), (s, b) => SocketPatches.Send(s, (ReadOnlySpan<byte>)b, SocketFlags.None)),
        ["span, flags, out error"] = (
            (s, b) => Checked(s.Send((ReadOnlySpan<byte>)b, SocketFlags.None, out var e), e),
            (s, b) => Checked(SocketPatches.Send(s, (ReadOnlySpan<byte>)b, SocketFlags.None, out var e), e)),
        ["segments"] = ((s, b) => s.Send(Segments(b)), (s, b) => SocketPatches.Send(s, Segments(b))),
        ["segments, flags"] = ((s, b) => s.Send(Segments(b), SocketFlags.None), (s, b) => SocketPatches.Send(s, Segments(b), SocketFlags.None)),
        ["segments, flags, out error"] = (
            (s, b) => Checked(s.Send(Segments(b), SocketFlags.None, out var e), e),
            (s, b) => Checked(SocketPatches.Send(s, Segments(b), SocketFlags.None, out var e), e)),
    };

    public static IEnumerable<object[]> ReceiverNames => Receivers.Keys.Select(k => new object[] { k });

    public static IEnumerable<object[]> SenderNames => Senders.Keys.Select(k => new object[] { k });

    /// <summary>
    /// Three segments, the middle one empty, so scatter/gather and a partial send across segments are exercised.
    /// </summary>
    public static IList<ArraySegment<byte>> Segments(byte[] buffer)
    {
        var half = buffer.Length / 2;
        return [new ArraySegment<byte>(buffer, 0, half), new ArraySegment<byte>(buffer, half, 0), new ArraySegment<byte>(buffer, half, buffer.Length - half)];
    }

    private static int Checked(int count, SocketError error) =>
        error == SocketError.Success ? count : throw new SocketException((int)error);
}
