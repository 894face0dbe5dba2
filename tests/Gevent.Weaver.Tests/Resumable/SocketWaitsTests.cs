using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gevent.Patches;
using Gevent.Servers;
using ResumableSpawnCases;
using static Gevent.Weaver.Tests.Resumable.LoopbackSockets;
using static Gevent.Weaver.Tests.Resumable.RunInfoLines;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// Socket waits of woven code (tier 2): over testassets/ResumableSpawnCases woven with resumable frames, a greenlet
/// blocked in <c>Accept</c>, <c>Connect</c>, <c>Receive</c> or <c>Send</c> suspends without a thread, with the
/// results of the original on plain threads; kills and timeouts interrupt it and its finally blocks run.
/// </summary>
// Alone: the thousand-receivers test counts the process's threads, which tests running beside it would add to.
[Collection(SequentialCollection.Name)]
public sealed class SocketWaitsTests
{
    // The last message is larger than the client's send buffer, so its send goes out in parts across suspensions.
    private static readonly string[] s_messages = ["hello", "stackless", new string('x', 64 * 1024), "bye"];

    [Fact]
    public void AWovenEchoSuspendsAtItsSocketWaitsWithTheResultsOfTheOriginalOnThreads()
    {
        var (originalEchoes, originalEchoed) = OnThreads();
        string echoes = "";
        var echoed = 0;
        HubTest.Run(() =>
        {
            using var listener = Listener(backlog: 1);
            var server = (Greenlet<int>)Call(nameof(SocketEcho.SpawnServer), listener);
            server.Name = "server";
            Greenlet.Yield();
            var accepting = LineOf("server");
            var client = (Greenlet<string>)Call(nameof(SocketEcho.SpawnClient), listener.LocalEndPoint!, s_messages);
            client.Name = "client";
            Greenlet.Yield();
            var talking = LineOf("client");
            (echoes, echoed) = (client.Get(), server.Get());
            var info = Hub.Current.FormatRunInfo();

            Assert.Contains("waiting on a socket to become readable, stackless", accepting, StringComparison.Ordinal);
            Assert.Contains(", stackless", talking, StringComparison.Ordinal);
            Assert.DoesNotContain("pinned", talking, StringComparison.Ordinal);
            Assert.True(Suspensions(info) > 2, info);
            Assert.DoesNotContain("pins:", info, StringComparison.Ordinal);
        });

        Assert.Equal(string.Join("|", s_messages), originalEchoes);
        Assert.Equal(originalEchoes, echoes);
        Assert.Equal(originalEchoed, echoed);
    }

    [Fact]
    public void AThousandStacklessReceiversHoldNoThreadsAndAKillRunsTheirFinallyBlocks() =>
        ThousandParkedWaiters.AssertStacklessAndKilled(
            (accepted, _, log) => (Greenlet)Call(nameof(SocketEcho.SpawnReceiver), accepted, log),
            "woven receivers",
            "SocketEcho.Receive");

    [Fact]
    public void AGreenTimeoutInterruptsAStacklessReceiveAndADataArrivalEndsAnother() =>
        Assert.Equal(
            ["finally", "timed out", "received", "finally"],
            TimedAndAnsweredWaiters.Run(
                (socket, timeout, log) => (Greenlet)Call(nameof(SocketEcho.SpawnTimedReceiver), socket, timeout, log),
                (socket, log) => (Greenlet)Call(nameof(SocketEcho.SpawnReceiver), socket, log)));

    [Fact]
    public void AStreamServerRunsAWovenHandlerStacklessAndAnotherOnAThreadAsBefore()
    {
        HubTest.Run(() =>
        {
            var woven = (Action<ServerConnection>)Delegate.CreateDelegate(typeof(Action<ServerConnection>), WovenSpawnCases.TypeOf(typeof(SocketEcho)).GetMethod(nameof(SocketEcho.EchoConnection))!);
            var (wovenEcho, wovenLine) = EchoThrough(woven);
            var (plainEcho, plainLine) = EchoThrough(connection =>
            {
                // Cooperative (the runtime's patches called directly) but not resumable: a thread-backed handler.
                var buffer = new byte[16];
                int read;
                while ((read = SocketPatches.Receive(connection.Socket, buffer)) > 0)
                {
                    SocketPatches.Send(connection.Socket, buffer, 0, read, SocketFlags.None);
                }
            });

            Assert.Equal("ping", wovenEcho);
            Assert.Contains(", stackless", wovenLine, StringComparison.Ordinal);
            Assert.Equal("ping", plainEcho);
            Assert.DoesNotContain("stackless", plainLine, StringComparison.Ordinal);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// Serves one connection with <paramref name="handler"/> on this hub: what came back of "ping", and the run-info line
    /// of the handler's greenlet while it waited for the request.
    /// </summary>
    private static (string Echo, string HandlerLine) EchoThrough(Action<ServerConnection> handler)
    {
        using var server = new StreamServer(new IPEndPoint(IPAddress.Loopback, 0), handler, new StreamServerOptions { Hubs = 1 });
        server.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(server.LocalEndPoint!);
        var line = WaitForLine(l => l.Contains("waiting on a socket to become readable", StringComparison.Ordinal) && !l.Contains(" accept:", StringComparison.Ordinal));
        SocketPatches.Send(client, Encoding.ASCII.GetBytes("ping"));
        var received = new byte[4];
        var count = 0;
        while (count < received.Length && SocketPatches.Receive(client, received, count, received.Length - count, SocketFlags.None) is var read and > 0)
        {
            count += read;
        }

        return (Encoding.ASCII.GetString(received, 0, count), line);
    }

    /// <summary>The first run-info line that matches, once one does (the hub runs meanwhile); fails after 30 s.</summary>
    private static string WaitForLine(Func<string, bool> match)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (Hub.Current.FormatRunInfo().Split('\n').FirstOrDefault(match) is { } line)
            {
                return line;
            }

            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), "no greenlet came to wait as expected:\n" + Hub.Current.FormatRunInfo());
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
        }
    }

    /// <summary>The echo of the original assembly on two plain threads: blocking BCL calls.</summary>
    private static (string Echoes, int Echoed) OnThreads()
    {
        using var listener = Listener(backlog: 1);
        var echoed = 0;
        var server = new Thread(() => echoed = SocketEcho.Serve(listener));
        server.Start();
        var echoes = SocketEcho.Talk(listener.LocalEndPoint!, s_messages);
        server.Join();
        return (echoes, echoed);
    }

    /// <summary>Calls a static member of the woven <see cref="SocketEcho"/>.</summary>
    private static object Call(string method, params object[] arguments) => WovenSpawnCases.Call(typeof(SocketEcho), null, method, arguments);
}
