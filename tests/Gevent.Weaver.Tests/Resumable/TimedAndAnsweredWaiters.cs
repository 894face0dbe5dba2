using System.Net.Sockets;
using Gevent.Patches;
using static Gevent.Weaver.Tests.Resumable.LoopbackSockets;
using static Gevent.Weaver.Tests.Resumable.RunInfoLines;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// Two woven greenlets parked stacklessly on two loopback connections: one under a <c>GreenTimeout</c> that must end
/// its wait, one that a byte arriving must end. Shared by the socket and stream wait tests.
/// </summary>
internal static class TimedAndAnsweredWaiters
{
    /// <param name="spawnTimed">Spawns the woven waiter under a timeout of the given length, logging "timed out" and "finally".</param>
    /// <param name="spawnAnswered">Spawns the woven waiter that the byte 42 ends, logging what it got and "finally".</param>
    /// <returns>The log of both.</returns>
    public static List<string> Run(Func<Socket, TimeSpan, List<string>, Greenlet> spawnTimed, Func<Socket, List<string>, Greenlet> spawnAnswered)
    {
        var log = new List<string>();
        HubTest.Run(() =>
        {
            using var listener = Listener(backlog: 2);
            var (quietClient, quiet) = Pair(listener);
            var (talkingClient, talking) = Pair(listener);
            using (quietClient)
            using (quiet)
            using (talkingClient)
            using (talking)
            {
                var timed = spawnTimed(quiet, TimeSpan.FromMilliseconds(20), log);
                timed.Name = "timed";
                var answered = spawnAnswered(talking, log);
                answered.Name = "answered";
                Greenlet.Yield();
                var (timedLine, answeredLine) = (LineOf("timed"), LineOf("answered"));
                timed.Join();
                SocketPatches.Send(talkingClient, [42]);
                answered.Join();

                Assert.Contains("waiting on a socket to become readable, stackless", timedLine, StringComparison.Ordinal);
                Assert.Contains("waiting on a socket to become readable, stackless", answeredLine, StringComparison.Ordinal);
                Assert.True(timed.Successful && answered.Successful, (timed.Exception ?? answered.Exception)?.ToString());
                Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            }
        });

        return log;
    }
}
