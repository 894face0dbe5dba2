using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Gevent.Patches;
using ResumableSpawnCases;
using static Gevent.Weaver.Tests.Resumable.LoopbackSockets;
using static Gevent.Weaver.Tests.Resumable.RunInfoLines;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// <see cref="StreamReader"/> reads of woven code over a network stream (tier 2): over testassets/ResumableSpawnCases
/// woven with resumable frames, a greenlet blocked in <c>ReadLine</c> suspends without a thread, with the results of the
/// original on plain threads; kills and timeouts interrupt it; a reader over any other stream is the BCL's and pins.
/// </summary>
// Alone: the thousand-readers test counts the process's threads, which tests running beside it would add to.
[Collection(SequentialCollection.Name)]
public sealed class StreamReaderWaitsTests
{
    /// <summary>
    /// A byte order mark, then lines ended by "\r\n", "\r" and "\n" and a last one by nothing, cut inside the mark,
    /// inside two-, three- and four-byte characters and between a '\r' and its '\n'.
    /// </summary>
    private static readonly byte[][] s_parts = Cut(
        [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("héllo wörld\r\n€uro\r𝄞 clef\nlast")],
        [2, 5, 12, 17, 19, 25, 27, 31]);

    [Fact]
    public void AWovenLineProtocolReadWithStreamReaderSuspendsInReadLineWithTheResultsOfTheOriginalOnThreads()
    {
        var (originalLines, originalAnswers) = OnThreads();
        var (lines, answers, serverLine, info) = ("", "", "", "");
        HubTest.Run(() =>
        {
            var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var server = (Greenlet<string>)Call(nameof(LineReader.SpawnServer), listener);
                server.Name = "server";
                var client = (Greenlet<string>)Call(nameof(LineReader.SpawnClient), listener.LocalEndpoint, s_parts);
                // The server waits between the client's parts, in ReadLine.
                var stopwatch = Stopwatch.StartNew();
                while (!(serverLine = LineOf("server")).Contains("readable", StringComparison.Ordinal) && !server.Ready)
                {
                    Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), "the server never waited:\n" + Hub.Current.FormatRunInfo());
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
                }

                (answers, lines) = (client.Get(), server.Get());
                info = Hub.Current.FormatRunInfo();
            }
            finally
            {
                listener.Stop();
            }
        });

        Assert.Equal("héllo wörld|€uro|𝄞 clef|last", originalLines);
        Assert.Equal(originalLines.ToUpperInvariant(), originalAnswers);
        Assert.Equal(originalLines, lines);
        Assert.Equal(originalAnswers, answers);
        Assert.Contains("waiting on a socket to become readable, stackless", serverLine, StringComparison.Ordinal);
        Assert.DoesNotContain("pinned", serverLine, StringComparison.Ordinal);
        Assert.True(Suspensions(info) >= s_parts.Length, info);
        Assert.DoesNotContain("pins:", info, StringComparison.Ordinal);
    }

    [Fact]
    public void AThousandStacklessLineReadersHoldNoThreadsAndAKillRunsTheirFinallyBlocks() =>
        ThousandParkedWaiters.AssertStacklessAndKilled(
            ThousandParkedWaiters.OverNetworkStreams((stream, log) => (Greenlet)Call(nameof(LineReader.SpawnLineReader), stream, log)),
            "woven line readers",
            "LineReader.ReadOneLine");

    [Fact]
    public void AGreenTimeoutInterruptsAStacklessReadLineAndTheLineBegunIsReadWholeNext()
    {
        var log = new List<string>();
        HubTest.Run(() =>
        {
            using var listener = Listener(backlog: 1);
            var (client, accepted) = Pair(listener);
            using (client)
            using (accepted)
            {
                var reader = (Greenlet)Call(nameof(LineReader.SpawnTimedLineReader), new GreenNetworkStream(accepted), TimeSpan.FromMilliseconds(200), log);
                reader.Name = "reader";
                SocketPatches.Send(client, [.. "par"u8, 0xC3]);
                var stopwatch = Stopwatch.StartNew();
                while (log.Count == 0)
                {
                    Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), "the reader never timed out:\n" + Hub.Current.FormatRunInfo());
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
                }

                Greenlet.Yield();
                var waitingAgain = LineOf("reader");
                SocketPatches.Send(client, [0xA9, .. "\n"u8]);
                reader.Join();

                Assert.True(reader.Successful, reader.Exception?.ToString());
                Assert.Contains("waiting on a socket to become readable, stackless", waitingAgain, StringComparison.Ordinal);
                Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            }
        });

        // The part before the timeout, a character cut in two by it included, is not lost.
        Assert.Equal(["timed out", "line paré"], log);
    }

    [Fact]
    public void AReaderOverAnyOtherStreamIsTheBclsAndStillWorksAndPins() =>
        Assert.Equal(
            ["line over a socket", "finally", "line over a pipe", "finally"],
            PinnedReaders.Run(
                accepted =>
                {
                    Assert.Equal(nameof(StreamReader), Call(nameof(LineReader.ReaderTypeOf), new MemoryStream()));
                    Assert.Equal(nameof(StreamReader), Call(nameof(LineReader.ReaderTypeOf), new BufferedStream(new NetworkStream(accepted))));
                    Assert.NotEqual(nameof(StreamReader), Call(nameof(LineReader.ReaderTypeOf), new NetworkStream(accepted)));
                },
                (accepted, log) => (Greenlet)Call(nameof(LineReader.SpawnLineReader), new BufferedStream(new GreenNetworkStream(accepted)), log),
                (pipe, log) => (Greenlet)Call(nameof(LineReader.SpawnLineReader), pipe, log),
                "over a socket\n"u8.ToArray(),
                "over a pipe\n"u8.ToArray()));

    /// <summary>The protocol of the original assembly on two plain threads: blocking BCL calls.</summary>
    private static (string Lines, string Answers) OnThreads()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var lines = "";
            var server = new Thread(() => lines = LineReader.Serve(listener));
            server.Start();
            var answers = LineReader.Talk(listener.LocalEndpoint, s_parts);
            server.Join();
            return (lines, answers);
        }
        finally
        {
            listener.Stop();
        }
    }

    private static byte[][] Cut(byte[] bytes, int[] cuts) =>
        [.. cuts.Prepend(0).Zip(cuts.Append(bytes.Length), (from, to) => bytes[from..to])];

    /// <summary>Calls a static member of the woven <see cref="LineReader"/>.</summary>
    private static object Call(string method, params object[] arguments) => WovenSpawnCases.Call(typeof(LineReader), null, method, arguments);
}
