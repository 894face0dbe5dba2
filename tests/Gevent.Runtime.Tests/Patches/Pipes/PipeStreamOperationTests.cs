using Gevent.Patches;
using Gevent.Tests.Patches.Sockets;

namespace Gevent.Tests.Patches.Pipes;

/// <summary>
/// <see cref="StreamPatches"/> on a pipe or FIFO seen through <see cref="Stream"/>: every operation returns and throws
/// what the original does, and in greenlets it parks only its own greenlet.
/// </summary>
public class PipeStreamOperationTests
{
    /// <summary>
    /// Each operation on one end of a pipe, described as text (what it returned or what it left in a memory stream),
    /// with <see cref="Op.Reads"/> telling which end it uses.
    /// </summary>
    private static readonly Dictionary<string, Op> s_ops = new()
    {
        ["Read(byte[], int, int)"] = new(true, s => IntoArray(b => s.Read(b, 1, 2)), s => IntoArray(b => StreamPatches.Read(s, b, 1, 2))),
        ["Read(Span<byte>)"] = new(true, s => IntoArray(b => s.Read(b.AsSpan(1))), s => IntoArray(b => StreamPatches.Read(s, b.AsSpan(1)))),
        ["ReadByte()"] = new(true, s => $"{s.ReadByte()}", s => $"{StreamPatches.ReadByte(s)}"),
        ["ReadExactly(Span<byte>)"] = new(true, s => OrEnd(() => IntoArray(b => Exactly(() => s.ReadExactly(b.AsSpan(1))))), s => OrEnd(() => IntoArray(b => Exactly(() => StreamPatches.ReadExactly(s, b.AsSpan(1)))))),
        ["ReadExactly(byte[], int, int)"] = new(true, s => OrEnd(() => IntoArray(b => Exactly(() => s.ReadExactly(b, 1, 2)))), s => OrEnd(() => IntoArray(b => Exactly(() => StreamPatches.ReadExactly(s, b, 1, 2))))),
        ["ReadAtLeast(Span<byte>, int)"] = new(true, s => OrEnd(() => IntoArray(b => s.ReadAtLeast(b, 2))), s => OrEnd(() => IntoArray(b => StreamPatches.ReadAtLeast(s, b, 2)))),
        ["ReadAtLeast(Span<byte>, int, false)"] = new(true, s => IntoArray(b => s.ReadAtLeast(b, 3, throwOnEndOfStream: false)), s => IntoArray(b => StreamPatches.ReadAtLeast(s, b, 3, throwOnEndOfStream: false))),
        ["CopyTo(Stream) from the pipe"] = new(true, s => Copied(m => s.CopyTo(m)), s => Copied(m => StreamPatches.CopyTo(s, m))),
        ["CopyTo(Stream, int) from the pipe"] = new(true, s => Copied(m => s.CopyTo(m, 2)), s => Copied(m => StreamPatches.CopyTo(s, m, 2))),
        ["Write(byte[], int, int)"] = new(false, s => s.Write([1, 2, 3, 4], 1, 2), s => StreamPatches.Write(s, [1, 2, 3, 4], 1, 2)),
        ["Write(ReadOnlySpan<byte>)"] = new(false, s => s.Write(new byte[] { 5, 6 }.AsSpan()), s => StreamPatches.Write(s, new byte[] { 5, 6 }.AsSpan())),
        ["WriteByte(byte)"] = new(false, s => s.WriteByte(9), s => StreamPatches.WriteByte(s, 9)),
        ["CopyTo(Stream) into the pipe"] = new(false, s => new MemoryStream([1, 2, 3]).CopyTo(s), s => StreamPatches.CopyTo(new MemoryStream([1, 2, 3]), s)),
        ["CopyTo(Stream, int) into the pipe"] = new(false, s => new MemoryStream([1, 2, 3]).CopyTo(s, 2), s => StreamPatches.CopyTo(new MemoryStream([1, 2, 3]), s, 2)),
    };

    /// <summary>Calls the BCL rejects, given the pipe's read and write ends, each with the original and the replacement.</summary>
    private static readonly (Action<Stream, Stream> Original, Action<Stream, Stream> Replacement)[] s_misuses =
    [
        ((i, o) => _ = i.Read(null!, 0, 1), (i, o) => StreamPatches.Read(i, null!, 0, 1)),
        ((i, o) => _ = i.Read(new byte[2], 1, 2), (i, o) => StreamPatches.Read(i, new byte[2], 1, 2)),
        ((_, o) => o.Write(new byte[2], -1, 1), (_, o) => StreamPatches.Write(o, new byte[2], -1, 1)),
        ((_, o) => o.Write(null!, 0, 0), (_, o) => StreamPatches.Write(o, null!, 0, 0)),
        ((i, _) => i.ReadExactly(null!, 0, 1), (i, _) => StreamPatches.ReadExactly(i, null!, 0, 1)),
        ((i, _) => i.ReadExactly(new byte[2], 1, 2), (i, _) => StreamPatches.ReadExactly(i, new byte[2], 1, 2)),
        ((i, _) => i.ReadAtLeast(new byte[2], 3), (i, _) => StreamPatches.ReadAtLeast(i, new byte[2], 3)),
        ((i, _) => i.ReadAtLeast(new byte[2], -1), (i, _) => StreamPatches.ReadAtLeast(i, new byte[2], -1)),
        ((i, _) => i.CopyTo(null!), (i, _) => StreamPatches.CopyTo(i, null!)),
        ((i, _) => i.CopyTo(new MemoryStream(), 0), (i, _) => StreamPatches.CopyTo(i, new MemoryStream(), 0)),
        ((i, _) => i.CopyTo(new MemoryStream([], writable: false)), (i, _) => StreamPatches.CopyTo(i, new MemoryStream([], writable: false))),
        ((_, o) => new MemoryStream().CopyTo(o, -1), (_, o) => StreamPatches.CopyTo(new MemoryStream(), o, -1)),
    ];

    public static TheoryData<string, string> OpsOnEachKind => Cross(s_ops.Keys, "pipe", "fifo");

    public static TheoryData<string, string> OpsInAndOutOfGreenlets => Cross(s_ops.Keys, "out", "in");

    [Theory]
    [MemberData(nameof(OpsInAndOutOfGreenlets))]
    public void EachOperationDoesWhatTheOriginalDoes(string operation, string where) => Parity.Run(where == "in", () =>
    {
        var op = s_ops[operation];
        foreach (var kind in new[] { "pipe", "fifo" })
        {
            foreach (var data in new byte[][] { [1, 2, 3], [] })
            {
                Assert.Equal(Outcome(kind, data, op.Reads, op.Original), Outcome(kind, data, op.Reads, op.Replacement));
            }

            // The wrong end, a closed end, no stream.
            Parity.SameException(() => OnEnd(kind, !op.Reads, closed: false, op.Original), () => OnEnd(kind, !op.Reads, closed: false, op.Replacement));
            Parity.SameException(() => OnEnd(kind, op.Reads, closed: true, op.Original), () => OnEnd(kind, op.Reads, closed: true, op.Replacement));
        }

        Parity.SameException(() => op.Original(null!), () => op.Replacement(null!));
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MisusesThrowWhatTheOriginalThrows(bool inGreenlet) => Parity.Run(inGreenlet, () =>
    {
        foreach (var kind in new[] { "pipe", "fifo" })
        {
            foreach (var (original, replacement) in s_misuses)
            {
                using var pipe = PipeKit.PipePair.Of(kind);
                Parity.SameException(() => original(pipe.In, pipe.Out), () => replacement(pipe.In, pipe.Out));
            }
        }
    });

    [Theory]
    [MemberData(nameof(OpsOnEachKind))]
    public void ManyGreenletsBlockedOnPipesFinishTogether(string operation, string kind) => BlockedAtOnce.Check(PipeKit.AfterWarmUp(
        () => Outcome(kind, [7], s_ops[operation].Reads, s_ops[operation].Replacement),
        () =>
        {
            var op = s_ops[operation];
            var pipe = PipeKit.PipePair.Of(kind);
            if (op.Reads)
            {
                // An empty pipe, until one byte and the end arrive.
                var expected = op.Original(new MemoryStream([7]));
                return new BlockedAtOnce.Subject(
                    () => Assert.Equal(expected, op.Replacement(pipe.In)),
                    () =>
                    {
                        pipe.Out.WriteByte(7);
                        pipe.Out.Dispose();
                    },
                    pipe);
            }

            // A full pipe, until it is drained.
            pipe.Fill();
            return new BlockedAtOnce.Subject(() => op.Replacement(pipe.Out), () => pipe.Drain(), pipe.ClosingReadEndFirst());
        }), count: 8, reusable: false);

    [Fact]
    public void ACopyBetweenAPipeAndACooperativeNetworkStreamKeepsCooperating()
    {
        // Into a full pipe from a network stream that holds data, until the pipe is drained and the data ends.
        BlockedAtOnce.Check(PipeKit.AfterWarmUp(CopyBothWaysWithoutWaiting, () =>
        {
            var (left, right) = SocketKit.TcpPair();
            var pipe = new PipeKit.PipePair();
            pipe.Fill();
            right.Send([1, 2, 3]);
            var network = new GreenNetworkStream(left, ownsSocket: true);
            return new BlockedAtOnce.Subject(
                () => StreamPatches.CopyTo(network, pipe.Out),
                () =>
                {
                    pipe.Drain();
                    right.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                },
                pipe.ClosingReadEndFirst(),
                network,
                right);
        }), count: 8, reusable: false);

        // From an empty pipe into a network stream, whose peer then receives what the pipe carried.
        BlockedAtOnce.Check(PipeKit.AfterWarmUp(CopyBothWaysWithoutWaiting, () =>
        {
            var (left, right) = SocketKit.TcpPair();
            var pipe = new PipeKit.PipePair();
            var network = new GreenNetworkStream(left, ownsSocket: true);
            return new BlockedAtOnce.Subject(
                () =>
                {
                    StreamPatches.CopyTo(pipe.In, network, 16);
                    var received = new byte[4];
                    Assert.Equal(3, SocketPatches.Receive(right, received));
                    Assert.Equal(new byte[] { 4, 5, 6, 0 }, received);
                },
                () =>
                {
                    pipe.Out.Write([4, 5, 6]);
                    pipe.Out.Dispose();
                },
                pipe,
                network,
                right);
        }), count: 8, reusable: false);
    }

    /// <summary>Both copies of the test above, on a pipe with room and a network stream with data and its end.</summary>
    private static void CopyBothWaysWithoutWaiting()
    {
        var (left, right) = SocketKit.TcpPair();
        using var network = new GreenNetworkStream(left, ownsSocket: true);
        using (right)
        using (var pipe = new PipeKit.PipePair())
        {
            right.Send([1]);
            right.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            StreamPatches.CopyTo(network, pipe.Out);
            pipe.Out.Dispose();
            StreamPatches.CopyTo(pipe.In, network, 16);
        }
    }

    /// <summary>What a fresh pipe gives: for a read, the result and then the rest; for a write, what arrived.</summary>
    private static string Outcome(string kind, byte[] data, bool reads, Func<Stream, string> op)
    {
        using var pipe = PipeKit.PipePair.Of(kind);
        if (reads)
        {
            pipe.Out.Write(data);
            pipe.Out.Dispose();
            return $"{op(pipe.In)}|{string.Join(",", pipe.ReadToEnd())}";
        }

        var result = op(pipe.Out);
        pipe.Out.Dispose();
        return $"{result}|{string.Join(",", pipe.ReadToEnd())}";
    }

    private static string OnEnd(string kind, bool readEnd, bool closed, Func<Stream, string> op)
    {
        using var pipe = PipeKit.PipePair.Of(kind);
        var end = readEnd ? pipe.In : pipe.Out;
        if (closed)
        {
            end.Dispose();
        }

        return op(end);
    }

    private static string IntoArray(Func<byte[], int> read)
    {
        var buffer = new byte[4];
        var count = read(buffer);
        return $"{count}:{string.Join(",", buffer)}";
    }

    /// <summary>A read that returns nothing (ReadExactly), as a count for <see cref="IntoArray"/> to show: -1.</summary>
    private static int Exactly(Action read)
    {
        read();
        return -1;
    }

    /// <summary>What <paramref name="read"/> describes, or that it met the end of the stream first.</summary>
    private static string OrEnd(Func<string> read)
    {
        try
        {
            return read();
        }
        catch (EndOfStreamException)
        {
            return "end of stream";
        }
    }

    private static string Copied(Action<MemoryStream> copy)
    {
        var memory = new MemoryStream();
        copy(memory);
        return string.Join(",", memory.ToArray());
    }

    private static TheoryData<string, string> Cross(IEnumerable<string> names, params string[] variants)
    {
        var data = new TheoryData<string, string>();
        foreach (var name in names)
        {
            foreach (var variant in variants)
            {
                data.Add(name, variant);
            }
        }

        return data;
    }

    /// <summary>An operation on one end of a pipe: the original and the replacement, each described as text.</summary>
    private sealed record Op(bool Reads, Func<Stream, string> Original, Func<Stream, string> Replacement)
    {
        public Op(bool reads, Action<Stream> original, Action<Stream> replacement)
            : this(reads, s => Done(original, s), s => Done(replacement, s))
        {
        }

        private static string Done(Action<Stream> write, Stream stream)
        {
            write(stream);
            return "done";
        }
    }
}
