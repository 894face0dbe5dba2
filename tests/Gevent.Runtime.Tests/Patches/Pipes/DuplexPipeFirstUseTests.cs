using System.Diagnostics;
using System.IO.Pipes;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Gevent.Patches;
using Gevent.Tests.Patches.Sockets;
using Microsoft.Win32.SafeHandles;

namespace Gevent.Tests.Patches.Pipes;

/// <summary>
/// A duplex <see cref="PipeStream"/> read and written at once on its first use. .NET wraps the pipe's descriptor in a
/// Socket on the handle's first read or write; two first calls at once both make one, and the loser's is disposed,
/// closing the descriptor under the winner (whose calls then fail, or reach whatever file reuses the number, and whose
/// close later closes that file). The replacements run such calls on pool threads, so they must not race so.
/// </summary>
[Collection(SequentialCollection.Name)]
public class DuplexPipeFirstUseTests
{
    private const int AF_UNIX = 1;
    private const int SOCK_STREAM = 1;
    private const int SOCK_CLOEXEC = 0x80000;

    [Theory]
    [InlineData("through Stream")]
    [InlineData("through a TextReader and a TextWriter")]
    public void AReadAndAWriteAtOnceOnAFreshDuplexPipeKeepItsDescriptor(string how)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Each round a fresh pipe, read by the main greenlet of one hub and written by that of another, released at the
        // same moment (greenlets of one hub never run at once, but their pool threads do): the same two calls made
        // straight to the BCL lost the descriptor within 3 to 23 rounds in every run.
        using var round = new Barrier(3);
        PipeStream? pipe = null;
        var stop = false;
        var read = -1;
        Exception? failure = null;
        void EachRound(Action<PipeStream> call)
        {
            while (round.SignalAndWait(SocketKit.Generous) && !Volatile.Read(ref stop))
            {
                failure ??= Record.Exception(() => call(pipe!));
                Assert.True(round.SignalAndWait(SocketKit.Generous), "the round did not end");
            }

            Hub.Current.Dispose();
        }

        Thread Caller(Action<PipeStream> call)
        {
            var thread = new Thread(() => failure ??= Record.Exception(() => HubTest.Run(() => EachRound(call)))) { IsBackground = true };
            thread.Start();
            return thread;
        }

        var callers = how == "through Stream"
            ? new[] { Caller(p => read = StreamPatches.ReadByte(p)), Caller(p => StreamPatches.WriteByte(p, 2)) }
            : [
                Caller(p => read = TextReaderPatches.Read(new StreamReader(p, Encoding.Latin1, false, 1, leaveOpen: true))),
                Caller(p => TextWriterPatches.Write(new StreamWriter(p, Encoding.Latin1, 1, leaveOpen: true) { AutoFlush = true }, '\u0002')),
            ];
        var elapsed = Stopwatch.StartNew();
        var rounds = 0;
        try
        {
            for (; rounds < 200 && elapsed.Elapsed < TimeSpan.FromSeconds(10); rounds++)
            {
                var (fresh, peer) = DuplexPipe();
                using (fresh)
                using (peer)
                {
                    peer.Send([1]);
                    pipe = fresh;
                    Assert.True(round.SignalAndWait(SocketKit.Generous), "a caller did not come");
                    Assert.True(round.SignalAndWait(SocketKit.Generous), "a call did not return");
                    Assert.True(failure is null, $"round {rounds}: {failure}");
                    Assert.Equal((1, 2), (read, ReceiveByte(peer)));

                    // Still this pipe's descriptor, both ways.
                    fresh.WriteByte(3);
                    Assert.Equal(3, ReceiveByte(peer));
                    peer.Send([4]);
                    Assert.Equal(4, fresh.ReadByte());
                }
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            round.SignalAndWait(SocketKit.Generous);
        }

        Assert.All(callers, caller => Assert.True(caller.Join(SocketKit.Generous), "a caller did not end"));
        Assert.Null(failure);
        Assert.True(rounds >= 10, $"only {rounds} rounds in {elapsed.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>A connected socket pair, one end as a duplex pipe stream that owns its descriptor, as an inherited one would be.</summary>
    private static (PipeStream Pipe, Socket Peer) DuplexPipe()
    {
        var descriptors = new int[2];
        Assert.True(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, descriptors) == 0, $"socketpair failed: errno {Marshal.GetLastPInvokeError()}");
        var pipe = new NamedPipeClientStream(PipeDirection.InOut, isAsync: false, isConnected: true, new SafePipeHandle(descriptors[0], ownsHandle: true));
        return (pipe, new Socket(new SafeSocketHandle(descriptors[1], ownsHandle: true)));
    }

    private static int ReceiveByte(Socket socket)
    {
        var one = new byte[1];
        socket.ReceiveTimeout = (int)SocketKit.Generous.TotalMilliseconds;
        Assert.Equal(1, socket.Receive(one));
        return one[0];
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int socketpair(int domain, int type, int protocol, int[] descriptors);
}
