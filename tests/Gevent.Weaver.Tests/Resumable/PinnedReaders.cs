using System.IO.Pipes;
using System.Net.Sockets;
using Gevent.Patches;
using static Gevent.Weaver.Tests.Resumable.LoopbackSockets;
using static Gevent.Weaver.Tests.Resumable.RunInfoLines;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// Two woven readers whose waits cannot suspend: one under a <c>BufferedStream</c> over a network stream (an un-woven
/// frame), one on an anonymous pipe. Both must still read what is sent and pin (<c>RuntimeWait</c>) instead of losing
/// their frames. Shared by the stream and stream-reader wait tests.
/// </summary>
internal static class PinnedReaders
{
    /// <param name="checkFirst">Checks made on the accepted socket before the readers start.</param>
    /// <param name="spawnBuffered">Spawns the woven reader of the accepted socket, under a <c>BufferedStream</c>.</param>
    /// <param name="spawnPiped">Spawns the woven reader of the pipe.</param>
    /// <param name="overSocket">What the client sends.</param>
    /// <param name="overPipe">What the pipe's writer writes.</param>
    /// <returns>The readers' log.</returns>
    public static List<string> Run(
        Action<Socket> checkFirst, Func<Socket, List<string>, Greenlet> spawnBuffered, Func<Stream, List<string>, Greenlet> spawnPiped, byte[] overSocket, byte[] overPipe)
    {
        var log = new List<string>();
        HubTest.Run(() =>
        {
            using var listener = Listener(backlog: 1);
            var (client, accepted) = Pair(listener);
            using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
            using var pipeWriter = new AnonymousPipeClientStream(PipeDirection.Out, pipe.ClientSafePipeHandle);
            using (client)
            using (accepted)
            {
                checkFirst(accepted);
                var buffered = spawnBuffered(accepted, log);
                buffered.Name = "buffered";
                var piped = spawnPiped(pipe, log);
                piped.Name = "piped";
                Greenlet.Yield();
                var bufferedLine = LineOf("buffered");
                SocketPatches.Send(client, overSocket);
                buffered.Join();
                pipeWriter.Write(overPipe);
                piped.Join();

                Assert.Contains("waiting on a socket to become readable, stackless, pinned (RuntimeWait)", bufferedLine, StringComparison.Ordinal);
                Assert.True(buffered.Successful && piped.Successful, (buffered.Exception ?? piped.Exception)?.ToString());
                Assert.Contains("pins: RuntimeWait 2", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            }
        });

        return log;
    }
}
