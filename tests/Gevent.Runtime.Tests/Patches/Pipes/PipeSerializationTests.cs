using System.IO.Pipes;
using System.Reflection;
using Gevent.Patches;
using Gevent.Tests.Patches.Sockets;
using Microsoft.Win32.SafeHandles;

namespace Gevent.Tests.Patches.Pipes;

/// <summary>
/// An offloaded pipe call interrupted by a kill keeps running on its pool thread, so the calls on one stream never
/// run at once: the next read waits for the interrupted one (which takes the next data), the next write lands after
/// the interrupted one. A pipe's reads and writes are independent (a duplex pipe is read by one greenlet while
/// another writes it); a file stream shares one buffer between them, so they are serialized together.
/// </summary>
public class PipeSerializationTests
{
    private static readonly TimeSpan s_moment = TimeSpan.FromMilliseconds(30);

    /// <summary>The reads on a stream, each returning the byte read.</summary>
    private static readonly Dictionary<string, Func<Stream, int>> s_reads = new()
    {
        ["Read(byte[], int, int)"] = s =>
        {
            var buffer = new byte[1];
            return StreamPatches.Read(s, buffer, 0, 1) == 1 ? buffer[0] : -1;
        },
        ["Read(Span<byte>)"] = s =>
        {
            Span<byte> buffer = stackalloc byte[1];
            return StreamPatches.Read(s, buffer) == 1 ? buffer[0] : -1;
        },
        ["ReadByte()"] = StreamPatches.ReadByte,
    };

    /// <summary>The writes to a stream, each writing one byte.</summary>
    private static readonly Dictionary<string, Action<Stream, byte>> s_writes = new()
    {
        ["Write(byte[], int, int)"] = (s, b) => StreamPatches.Write(s, [b], 0, 1),
        ["Write(ReadOnlySpan<byte>)"] = (s, b) => StreamPatches.Write(s, new[] { b }.AsSpan()),
        ["WriteByte(byte)"] = StreamPatches.WriteByte,
    };

    public static TheoryData<string> ReadNames => [.. s_reads.Keys];

    public static TheoryData<string> WriteNames => [.. s_writes.Keys];

    [Theory]
    [MemberData(nameof(ReadNames))]
    public void AReadWaitsForAnInterruptedReadOfTheSamePipe(string read)
    {
        using var pipe = new PipeKit.PipePair();
        using var probe = new CountingPipeStream(PipeDirection.In, ((PipeStream)pipe.In).SafePipeHandle);
        HubTest.Run(() =>
        {
            var interrupted = Greenlet.Spawn(() => s_reads[read](probe));
            Greenlet.Sleep(s_moment);
            interrupted.Kill();
            var next = Greenlet.Spawn(() => s_reads[read](probe));
            Greenlet.Sleep(s_moment);

            // The first byte goes to the interrupted read, still running on its pool thread, and is lost.
            pipe.Out.WriteByte(1);
            Greenlet.Sleep(TimeSpan.FromMilliseconds(100));
            Assert.False(next.Dead);
            pipe.Out.WriteByte(2);
            Assert.Equal(2, next.Get(SocketKit.Generous));
            Assert.Equal(1, probe.Reads.Most);
        });
    }

    [Theory]
    [MemberData(nameof(WriteNames))]
    public void AWriteWaitsForAnInterruptedWriteToTheSamePipeAndLandsAfterIt(string write)
    {
        using var pipe = new PipeKit.PipePair();
        using var probe = new CountingPipeStream(PipeDirection.Out, ((PipeStream)pipe.Out).SafePipeHandle);
        var capacity = pipe.Fill();
        HubTest.Run(() =>
        {
            var interrupted = Greenlet.Spawn(() => s_writes[write](probe, 1));
            Greenlet.Sleep(s_moment);
            interrupted.Kill();
            var next = Greenlet.Spawn(() => s_writes[write](probe, 2));
            Greenlet.Sleep(s_moment);
            Assert.False(next.Dead);

            // Take out what filled the pipe (it is there, so this does not block): the two writes go through, in order.
            var filling = new byte[capacity];
            for (var taken = 0; taken < capacity;)
            {
                taken += pipe.In.Read(filling, taken, capacity - taken);
            }

            Assert.True(next.Join(SocketKit.Generous));
            var written = new byte[2];
            pipe.In.ReadExactly(written);
            Assert.Equal(new byte[] { 1, 2 }, written);
            Assert.Equal(1, probe.Writes.Most);
        });
    }

    [Fact]
    public void AFileStreamsReadsAndWritesWaitForEachOther()
    {
        using var fifo = new PipeKit.Fifo();
        using var probe = new CountingFileStream(File.OpenHandle(fifo.Path, FileMode.Open, FileAccess.ReadWrite), FileAccess.ReadWrite);
        using var peer = new FileStream(fifo.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        HubTest.Run(() =>
        {
            var interrupted = Greenlet.Spawn(() => StreamPatches.ReadByte(probe));
            Greenlet.Sleep(s_moment);
            interrupted.Kill();
            var write = Greenlet.Spawn(() => StreamPatches.WriteByte(probe, 5));
            Greenlet.Sleep(TimeSpan.FromMilliseconds(100));
            Assert.False(write.Dead);

            // The interrupted read takes the peer's byte, then the write goes through.
            peer.WriteByte(9);
            Assert.True(write.Join(SocketKit.Generous));
            Assert.Equal(5, StreamPatches.ReadByte(probe));
            Assert.Equal(1, probe.Calls.Most);
        });
    }

    [Fact]
    public void OutsideAGreenletReadsOfOnePipeRunAtOnceAsTheOriginalsDo()
    {
        using var pipe = new PipeKit.PipePair();
        using var probe = new CountingPipeStream(PipeDirection.In, ((PipeStream)pipe.In).SafePipeHandle);
        // Each thread keeps what its read threw: a read still blocked when a failing test disposes the pipe fails
        // (operation canceled), and on a bare thread that would end the test host.
        var bytes = new int[2];
        var failures = new Exception?[2];
        var readers = Enumerable.Range(0, 2).Select(i => new Thread(() => failures[i] = Record.Exception(() => bytes[i] = StreamPatches.ReadByte(probe)))).ToList();
        readers.ForEach(t => t.Start());
        Assert.True(SpinWait.SpinUntil(() => probe.Reads.Most == 2, SocketKit.Generous), "the second read waited for the first");
        pipe.Out.Write([1, 2]);
        Assert.All(readers, t => Assert.True(t.Join(SocketKit.Generous)));
        Assert.Equal([null, null], failures);
        Assert.Equal([1, 2], bytes.Order());
    }

    [Fact]
    public void APipePairsEndsHaveTheirSocketsBeforeATestReadsThemFromTwoThreads()
    {
        // The guard against .NET's race on a handle's first call (PipeKit.PipePair): without it, the test above failed
        // about once in ten loaded runs and took a process test running alongside with it.
        using var pipe = new PipeKit.PipePair();
        var socket = typeof(SafePipeHandle).GetField("_pipeSocket", BindingFlags.NonPublic | BindingFlags.Instance);
        Assert.NotNull(socket);
        Assert.NotNull(socket.GetValue(((PipeStream)pipe.In).SafePipeHandle));
        Assert.NotNull(socket.GetValue(((PipeStream)pipe.Out).SafePipeHandle));
    }

    [Fact]
    public void ADuplexPipeIsWrittenWhileAGreenletWaitsToReadIt()
    {
        var name = "gevent-duplex-" + Guid.NewGuid().ToString("N")[..12];
        using var server = new NamedPipeServerStream(name, PipeDirection.InOut);
        using var client = new NamedPipeClientStream(".", name, PipeDirection.InOut);
        var accepting = new Thread(server.WaitForConnection);
        accepting.Start();
        client.Connect();
        accepting.Join();
        HubTest.Run(() =>
        {
            var reply = Greenlet.Spawn(() => StreamPatches.ReadByte(client));
            Greenlet.Sleep(s_moment);
            Assert.False(reply.Dead);

            // The request goes out although the read above is still outstanding on the same stream (were the
            // write serialized after it, neither could ever finish).
            Assert.True(GreenTimeout.TryRun(TimeSpan.FromSeconds(10), () => StreamPatches.WriteByte(client, 7)));
            Assert.Equal(7, server.ReadByte());
            server.WriteByte(8);
            Assert.Equal(8, reply.Get(SocketKit.Generous));
        });
    }
}
