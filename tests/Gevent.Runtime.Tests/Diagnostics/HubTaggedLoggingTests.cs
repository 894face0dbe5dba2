using System.Net;
using Gevent.CompilerServices;
using Gevent.Servers;
using Gevent.Tests.Servers;
using Gevent.Tests.Servers.Http;
using Microsoft.Extensions.Logging;

namespace Gevent.Tests.Diagnostics;

/// <summary>
/// Log entries written on a hub carry its id as the <see cref="GeventMetrics.HubTag"/> field, as its metrics do.
/// Alone: the tests replace the process's logger factory and standard error.
/// </summary>
[Collection(SequentialCollection.Name)]
public class HubTaggedLoggingTests
{
    private static readonly ILogger s_log = GeventLogging.CreateLogger("Gevent.Tests.Tagged");

    [Fact]
    public void EntriesFromTwoHubs_CarryEachItsOwnHub_AndOneFromAPlainThreadNone()
    {
        var recording = new RecordingLoggerFactory();
        int[] hubs = [];
        recording.Around(() =>
        {
            HubTest.OnPlainThread(() =>
            {
                using var group = HubGroup.Start(2);
                hubs = [.. group.Hubs.Select(hub => hub.Id)];
                Task.WaitAll(Enumerable.Range(0, 2).Select(i => group.SpawnAsync(i, () =>
                {
                    // The runtime's own entry (the default error handler's), and one from a stackless greenlet after it resumed.
                    var failing = Greenlet.Spawn(() => throw new InvalidOperationException("boom"));
                    failing.Name = $"failing on hub {i}";
                    var stackless = ResumableGreenlet.Spawn(SleepThenLog);
                    Assert.NotNull(stackless.Frames);
                    Greenlet.JoinAll([failing, stackless]);
                })));
            });
            s_log.LogInformation("from a plain thread");
        });

        Assert.NotEqual(hubs[0], hubs[1]);
        for (var i = 0; i < 2; i++)
        {
            var failed = Assert.Single(recording.Entries, entry => entry.Text == $"Greenlet 'failing on hub {i}' failed.");
            Assert.Equal(hubs[i], failed.Hub);
            Assert.Equal(new KeyValuePair<string, object?>(GeventMetrics.HubTag, hubs[i]), failed.Fields[0]);
            Assert.Equal("{OriginalFormat}", failed.Fields[^1].Key);
        }

        var resumed = recording.Entries.Where(entry => entry.Text.StartsWith("resumed on hub ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, resumed.Count);
        Assert.All(resumed, entry => Assert.Equal($"resumed on hub {entry.Hub}", entry.Text));
        Assert.Equal(hubs.Order(), resumed.Select(entry => entry.Hub!.Value).Order());
        var plain = Assert.Single(recording.Entries, entry => entry.Text == "from a plain thread");
        Assert.Null(plain.Hub);
        Assert.Equal("{OriginalFormat}", Assert.Single(plain.Fields).Key);
    }

    [Fact]
    public void AnEntryBelowTheEnabledLevel_IsNeitherPassedOnNorTagged()
    {
        var recording = new RecordingLoggerFactory { MinimumLevel = LogLevel.Information };
        recording.Around(() => HubTest.Run(() =>
        {
            s_log.Log(LogLevel.Debug, default, 0, null, static (_, _) => "warm-up");
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                s_log.Log(LogLevel.Debug, default, i, null, static (_, _) => "disabled");
            }

            // Tagging an entry allocates; one allocation for each of the thousand would be tens of kilobytes.
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 1000, $"{allocated} bytes allocated for 1,000 disabled entries");
        }));

        Assert.DoesNotContain(recording.Entries, entry => entry.Text is "warm-up" or "disabled");
    }

    [Fact]
    public void ARuntimeLogger_FollowsAReplacedFactory()
    {
        var (first, second) = (new RecordingLoggerFactory(), new RecordingLoggerFactory());
        first.Around(() => s_log.LogInformation("to the first"));
        second.Around(() => s_log.LogInformation("to the second"));

        Assert.Equal(["to the first"], first.Entries.Where(entry => entry.Category == "Gevent.Tests.Tagged").Select(entry => entry.Text));
        Assert.Equal(["to the second"], second.Entries.Where(entry => entry.Category == "Gevent.Tests.Tagged").Select(entry => entry.Text));
    }

    [Fact]
    public void AServersOwnLogger_IsTaggedWithTheHubThatServedTheConnection()
    {
        var recording = new RecordingLoggerFactory();
        HubTest.Run(() =>
        {
            using var server = new StreamServer(
                new IPEndPoint(IPAddress.Loopback, 0),
                _ => throw new InvalidOperationException($"{Hub.Current.Id}"),
                new StreamServerOptions { Logger = recording.CreateLogger("own"), Hubs = 2 });
            server.Start();
            using var client = new LoopbackClient(server.LocalEndPoint!);
            Assert.Equal(string.Empty, client.ReceiveToEnd());
        });

        var failed = Assert.Single(recording.Entries, entry => entry.Text.StartsWith("The handler for", StringComparison.Ordinal));
        Assert.NotNull(failed.Hub);
        Assert.Equal(failed.Exception!.Message, $"{failed.Hub}");
    }

    [Fact]
    public void TheAccessLog_IsTaggedWithTheServingHub()
    {
        var recording = new RecordingLoggerFactory();
        var hub = 0;
        HttpExchange.Run("GET / HTTP/1.1\r\nHost: x\r\n\r\n", (request, response) =>
        {
            hub = Hub.Current.Id;
            HttpExchange.Hello(request, response);
        }, new HttpServerOptions { AccessLog = recording.CreateLogger("access") });

        var line = Assert.Single(recording.Entries);
        Assert.Equal(hub, line.Hub);
        Assert.Contains("\"GET / HTTP/1.1\" 200", line.Text);
    }

    [Fact]
    public void TheDefaultLogger_PrintsTheHubAfterTheCategory()
    {
        var original = Console.Error;
        var error = new StringWriter();
        Console.SetError(error);
        var hub = 0;
        try
        {
            // The default logger takes standard error as it is created.
            var logger = GeventLogging.TagByHub(StandardErrorLoggerFactory.Instance.CreateLogger("Gevent.Tests.Default"));
            HubTest.Run(() =>
            {
                hub = Hub.Current.Id;
                logger.LogWarning("on a hub");
            });
            logger.LogWarning("on a plain thread");
        }
        finally
        {
            Console.SetError(original);
        }

        var lines = error.ToString().Split(Environment.NewLine).Where(line => line.Contains("Gevent.Tests.Default", StringComparison.Ordinal));
        Assert.Equal([$"Warning: Gevent.Tests.Default (hub {hub}): on a hub", "Warning: Gevent.Tests.Default: on a plain thread"], lines);
    }

    /// <summary>Sleeps (suspending: its carrier is freed), then logs from wherever it resumed; hand-woven like the monitor tests' spinner.</summary>
    [Resumable]
    private static void SleepThenLog()
    {
        Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
        if (FrameStack.Current is { IsSuspending: true })
        {
            return;
        }

        s_log.LogInformation("resumed on hub {Hub}", Hub.Current.Id);
    }
}
