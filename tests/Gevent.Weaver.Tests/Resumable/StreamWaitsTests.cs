using System.Diagnostics;
using System.Net.Sockets;
using Gevent.Patches;
using ResumableSpawnCases;
using static Gevent.Weaver.Tests.Resumable.LoopbackSockets;
using static Gevent.Weaver.Tests.Resumable.RunInfoLines;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// Stream waits of woven code (tier 2): over testassets/ResumableSpawnCases woven with resumable frames, a greenlet
/// blocked in a network stream's <c>Read</c>, <c>ReadByte</c> or <c>Write</c> suspends without a thread, with the
/// results of the original on plain threads; kills and timeouts interrupt it and its finally blocks run; any other
/// stream still works and pins.
/// </summary>
// Alone: the thousand-readers test counts the process's threads, which tests running beside it would add to.
[Collection(SequentialCollection.Name)]
public sealed class StreamWaitsTests
{
    // The third line is larger than the server's send buffer, so its answer goes out in parts across suspensions.
    private static readonly string[] s_lines = ["hello", "stackless streams", new string('x', 64 * 1024), "bye"];

    [Fact]
    public void AWovenLineProtocolOverTcpClientStreamsSuspendsAtItsStreamWaitsWithTheResultsOfTheOriginalOnThreads()
    {
        var (originalAnswers, originalAnswered) = OnThreads();
        var answers = "";
        var answered = 0;
        var info = "";
        HubTest.Run(() =>
        {
            var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var server = (Greenlet<int>)Call(nameof(StreamEcho.SpawnServer), listener);
                var client = (Greenlet<string>)Call(nameof(StreamEcho.SpawnClient), listener.LocalEndpoint, s_lines);
                (answers, answered) = (client.Get(), server.Get());
                info = Hub.Current.FormatRunInfo();
            }
            finally
            {
                listener.Stop();
            }
        });

        Assert.Equal(string.Join("|", s_lines.Select(l => l.ToUpperInvariant())), originalAnswers);
        Assert.Equal(originalAnswers, answers);
        Assert.Equal(originalAnswered, answered);
        // Each line is a wait of the server in ReadByte and of the client in Read, besides the accept and the connect.
        Assert.True(Suspensions(info) >= 2 * s_lines.Length, info);
        Assert.DoesNotContain("pins:", info, StringComparison.Ordinal);
    }

    [Fact]
    public void AThousandStacklessStreamReadersHoldNoThreadsAndAKillRunsTheirFinallyBlocks() =>
        ThousandParkedWaiters.AssertStacklessAndKilled(
            ThousandParkedWaiters.OverNetworkStreams((stream, log) => (Greenlet)Call(nameof(StreamEcho.SpawnReader), stream, log)),
            "woven stream readers",
            "StreamEcho.ReadOne");

    [Fact]
    public void AGreenTimeoutInterruptsAStacklessStreamReadAndADataArrivalEndsAnother() =>
        Assert.Equal(
            ["finally", "timed out", "read 42", "finally"],
            TimedAndAnsweredWaiters.Run(
                (socket, timeout, log) => (Greenlet)Call(nameof(StreamEcho.SpawnTimedReader), new GreenNetworkStream(socket), timeout, log),
                (socket, log) => (Greenlet)Call(nameof(StreamEcho.SpawnReader), new GreenNetworkStream(socket), log)));

    [Fact]
    public void AStacklessReadExactlyKeepsWhatItHasReadAcrossItsWaits()
    {
        HubTest.Run(() =>
        {
            using var listener = Listener(backlog: 1);
            var (client, accepted) = Pair(listener);
            using (client)
            using (accepted)
            {
                var reader = (Greenlet<string>)Call(nameof(StreamEcho.SpawnExactReader), new GreenNetworkStream(accepted), 6);
                reader.Name = "reader";
                Greenlet.Yield();
                var waiting = LineOf("reader");
                SocketPatches.Send(client, "abc"u8.ToArray());
                // The first part read, it waits again.
                var stopwatch = Stopwatch.StartNew();
                while (Suspensions(Hub.Current.FormatRunInfo()) < 2)
                {
                    Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), "the reader did not wait again:\n" + Hub.Current.FormatRunInfo());
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
                }

                var waitingAgain = LineOf("reader");
                SocketPatches.Send(client, "def"u8.ToArray());

                Assert.Equal("abcdef", reader.Get());
                Assert.Contains("waiting on a socket to become readable, stackless", waiting, StringComparison.Ordinal);
                Assert.Contains("waiting on a socket to become readable, stackless", waitingAgain, StringComparison.Ordinal);
                Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            }
        });
    }

    [Fact]
    public void AStreamClosedUnderAStacklessReaderEndsItsReadAsOnTierOne()
    {
        var log = new List<string>();
        HubTest.Run(() =>
        {
            using var listener = Listener(backlog: 2);
            var (wovenClient, wovenAccepted) = Pair(listener);
            var (plainClient, plainAccepted) = Pair(listener);
            using (wovenClient)
            using (plainClient)
            {
                var wovenStream = new GreenNetworkStream(wovenAccepted, ownsSocket: true);
                var plainStream = new GreenNetworkStream(plainAccepted, ownsSocket: true);
                var woven = (Greenlet)Call(nameof(StreamEcho.SpawnReader), wovenStream, log);
                woven.Name = "woven";
                // The original assembly: a thread-backed greenlet, whose stream cooperates by itself.
                var plain = StreamEcho.SpawnReader(plainStream, log);
                plain.Name = "plain";
                Greenlet.Yield();
                var wovenLine = LineOf("woven");
                wovenStream.Dispose();
                plainStream.Dispose();
                woven.Join();
                plain.Join();

                Assert.Contains("waiting on a socket to become readable, stackless", wovenLine, StringComparison.Ordinal);
                var expected = Assert.IsType<IOException>(plain.Exception);
                var actual = Assert.IsType<IOException>(woven.Exception);
                Assert.Equal(Assert.IsType<SocketException>(expected.InnerException).SocketErrorCode, Assert.IsType<SocketException>(actual.InnerException).SocketErrorCode);
                Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            }
        });

        Assert.Equal(["finally", "finally"], log);
    }

    [Fact]
    public void AStreamUnderAnUnwovenFrameAndAPipeStillWorkAndPin() =>
        Assert.Equal(
            ["read 7", "finally", "read 9", "finally"],
            PinnedReaders.Run(
                _ => { },
                (accepted, log) => (Greenlet)Call(nameof(StreamEcho.SpawnBufferedReader), accepted, log),
                (pipe, log) => (Greenlet)Call(nameof(StreamEcho.SpawnReader), pipe, log),
                [7],
                [9]));

    /// <summary>The line protocol of the original assembly on two plain threads: blocking BCL calls.</summary>
    private static (string Answers, int Answered) OnThreads()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var answered = 0;
            var server = new Thread(() => answered = StreamEcho.Serve(listener));
            server.Start();
            var answers = StreamEcho.Talk(listener.LocalEndpoint, s_lines);
            server.Join();
            return (answers, answered);
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Calls a static member of the woven <see cref="StreamEcho"/>.</summary>
    private static object Call(string method, params object[] arguments) => WovenSpawnCases.Call(typeof(StreamEcho), null, method, arguments);
}
