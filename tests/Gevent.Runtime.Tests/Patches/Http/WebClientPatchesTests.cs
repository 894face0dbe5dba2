using System.Collections.Specialized;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Gevent.Patches;
using Gevent.Tests.Patches.Sockets;

#pragma warning disable SYSLIB0014 // The replacements under test stand in for the obsolete WebClient, called here side by side.

namespace Gevent.Tests.Patches.Http;

public partial class WebClientPatchesTests : IDisposable
{
    private readonly SlowHttpServer _server = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("webclient-tests").FullName;

    public WebClientPatchesTests()
    {
        File.WriteAllText(UploadFile, "file");
    }

    private string UploadFile => Path.Combine(_directory, "upload.txt");

    private string Target => Path.Combine(_directory, "download.txt");

    [Fact]
    public void OutsideAGreenletTheReplacementsAreTheOriginals()
    {
        Assert.Null(Hub.CurrentGreenletOrNull);
        using var client = new WebClient();
        Assert.Equal("waited 0", WebClientPatches.DownloadString(client, _server.Url(0)));
        Assert.Equal("waited 0 PUT data", WebClientPatches.UploadString(client, _server.Url(0), "PUT", "data"));
        Assert.Null(Hub.CurrentGreenletOrNull);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryMethodEndsAsTheOriginalDoes(bool inGreenlet) => Parity.Run(inGreenlet, () =>
    {
        var valid = new Inputs(_server.Url(0), "data", "data"u8.ToArray(), new NameValueCollection { ["a"] = "1", ["b"] = "x y" }, UploadFile, Target, TargetExists: false);
        var cases = new (string Case, Inputs Inputs, string Expected)[]
        {
            ("valid", valid, ""),
            ("404, over an existing file", valid with { Address = _server.Url(0, 404), TargetExists = true }, "WebException ProtocolError NotFound"),
            ("refused", valid with { Address = SlowHttpServer.RefusedUrl }, "WebException "),
            ("malformed address", valid with { Address = "http://[::1" }, ""),
            ("relative address", valid with { Address = "no-such-directory/file" }, ""),
            ("null address", valid with { Address = null }, nameof(ArgumentNullException)),
            ("null data", valid with { Text = null, Bytes = null, Values = null, Upload = null, Target = null }, ""),
            ("missing files", valid with { Upload = Path.Combine(_directory, "missing"), Target = Path.Combine(_directory, "missing", "file") }, ""),
        };
        foreach (var (name, original, replacement) in Methods())
        {
            var onNull = Outcome(original, valid, nullClient: true);
            Assert.Equal($"{name}: NullReferenceException; no file", $"{name}: {onNull}");
            Assert.Equal($"{name}: {onNull}", $"{name}: {Outcome(replacement, valid, nullClient: true)}");
            foreach (var (@case, inputs, expected) in cases)
            {
                var before = Outcome(original, inputs);
                Assert.StartsWith($"{name}, {@case}: {expected}", $"{name}, {@case}: {before}", StringComparison.Ordinal);
                Assert.False(inputs == valid && before.Contains("Exception", StringComparison.Ordinal), $"{name} failed: {before}");
                Assert.Equal($"{name}, {@case}: {before}", $"{name}, {@case}: {Outcome(replacement, inputs)}");
            }
        }
    });

    [Fact]
    public void ASubclassOverridingGetWebRequestKeepsItsRequestSettings()
    {
        HubTest.Run(() =>
        {
            using var original = new ShortTimeoutClient();
            using var replaced = new ShortTimeoutClient();
            var expected = WebOutcome.Of(() => original.DownloadString(_server.Url(5_000)), s => s);
            Assert.StartsWith("WebException Timeout", expected, StringComparison.Ordinal);
            Assert.Equal(expected, WebOutcome.Of(() => WebClientPatches.DownloadString(replaced, _server.Url(5_000)), s => s));
        });
    }

    [Fact]
    public void ASubclassOverridingWhatOnlyTheSynchronousPathCallsGetsTheOriginalOffloaded()
    {
        HubTest.Run(() =>
        {
            using var client = new RecordingClient();
            var uploads = 0;
            var text = SocketKit.WaitsCooperatively(TimeSpan.FromMilliseconds(300), () =>
            {
                uploads++;
                return WebClientPatches.UploadString(client, _server.Url(300), "data");
            });
            Assert.Equal("waited 300 POST data", text);
            Assert.Equal(uploads, client.Responses);

            // Interrupted, the offloaded operation is cancelled on its pool thread too.
            Assert.False(GreenTimeout.TryRun(TimeSpan.FromSeconds(1), () => WebClientPatches.DownloadString(client, _server.Url(30_000))));
            Assert.True(_server.SawItStopped(received: uploads, abandoned: 0), "the interrupted download kept its connection open");
        });
    }

    [Fact]
    public void TwentyGreenletsDownloadingFinishTogetherAndKillOrTimeoutInterruptsOne() => BlockedAtOnce.Check(() =>
    {
        var gate = _server.NewGate();
        return new BlockedAtOnce.Subject(
            () =>
            {
                // A fresh client each time: an interrupted one stays busy until its cancelled operation has wound down.
                using var client = new WebClient();
                Assert.StartsWith("gate ", WebClientPatches.DownloadString(client, gate));
            },
            () => _server.Open(gate));
    });

    [Fact]
    public void SlowUploadsOverlapWhileTheHubKeepsTicking()
    {
        HubTest.Run(() =>
        {
            using var ticker = new Ticker();
            var stopwatch = Stopwatch.StartNew();
            var uploads = Enumerable.Range(0, 20).Select(i => Greenlet.Spawn(() =>
            {
                using var client = new WebClient();
                return WebClientPatches.UploadString(client, _server.Url(300), $"n{i}");
            })).ToList();
            Assert.Equal(20, Greenlet.JoinAll(uploads, TimeSpan.FromSeconds(30), throwOnError: true).Count);
            Assert.All(uploads.Select((upload, i) => (upload, i)), u => Assert.Equal($"waited 300 POST n{u.i}", u.upload.Get()));
            Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(4));
            ticker.AssertKeptRunning("while 20 uploads were in flight");
        });
    }

    [Fact]
    public void AKillOrATimeoutCancelsTheOperationInFlightAndTheClientServesAgain()
    {
        HubTest.Run(() =>
        {
            using var client = new WebClient();
            Assert.Equal("waited 0", WebClientPatches.DownloadString(client, _server.Url(0)));

            // The server would answer in 30 s and the request would time out in 100 s: only a cancel ends it sooner.
            var stopwatch = Stopwatch.StartNew();
            Assert.False(GreenTimeout.TryRun(TimeSpan.FromSeconds(1), () => WebClientPatches.UploadString(client, _server.Url(30_000), "data")));
            Assert.True(_server.SawItStopped(received: 1, abandoned: 0), "the timed-out upload kept its connection open");
            Assert.True(SleepWhileBusy(client), "the cancelled operation never wound down");
            Assert.Equal("waited 0", WebClientPatches.DownloadString(client, new Uri(_server.Url(0))));

            var cleaned = false;
            var downloader = Greenlet.Spawn(() =>
            {
                try
                {
                    WebClientPatches.DownloadFile(client, _server.Url(30_000), Target);
                }
                finally
                {
                    cleaned = true;
                }
            });
            var (received, abandoned) = (_server.Received, _server.Abandoned);
            Assert.True(_server.SleepUntilReceived(received + 1));
            Assert.True(File.Exists(Target));
            downloader.Kill();
            Assert.True(cleaned && downloader.Successful);
            Assert.True(_server.WaitForAbandoned(abandoned + 1), "the killed download kept its connection open");
            Assert.False(File.Exists(Target), "the killed download left its file");
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(25));

            Assert.True(SleepWhileBusy(client), "the cancelled operation never wound down");
            WebClientPatches.DownloadFile(client, _server.Url(0), Target);
            Assert.Equal("waited 0", File.ReadAllText(Target));
        });
    }

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static bool SleepWhileBusy(WebClient client)
    {
        var waited = Stopwatch.StartNew();
        while (client.IsBusy && waited.Elapsed < SocketKit.Generous)
        {
            Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
        }

        return !client.IsBusy;
    }

    /// <summary>Every synchronous method, as the original and the replacement, on a client and inputs.</summary>
    private static IEnumerable<(string Name, Func<WebClient, Inputs, object?> Original, Func<WebClient, Inputs, object?> Replacement)> Methods() =>
    [
        ("DownloadString(string)", (c, i) => c.DownloadString(i.Address!), (c, i) => WebClientPatches.DownloadString(c, i.Address!)),
        ("DownloadString(Uri)", (c, i) => c.DownloadString(i.Uri), (c, i) => WebClientPatches.DownloadString(c, i.Uri)),
        ("DownloadData(string)", (c, i) => c.DownloadData(i.Address!), (c, i) => WebClientPatches.DownloadData(c, i.Address!)),
        ("DownloadData(Uri)", (c, i) => c.DownloadData(i.Uri), (c, i) => WebClientPatches.DownloadData(c, i.Uri)),
        ("DownloadFile(string)", (c, i) => Void(() => c.DownloadFile(i.Address!, i.Target!)), (c, i) => Void(() => WebClientPatches.DownloadFile(c, i.Address!, i.Target!))),
        ("DownloadFile(Uri)", (c, i) => Void(() => c.DownloadFile(i.Uri, i.Target!)), (c, i) => Void(() => WebClientPatches.DownloadFile(c, i.Uri, i.Target!))),
        ("OpenRead(string)", (c, i) => c.OpenRead(i.Address!), (c, i) => WebClientPatches.OpenRead(c, i.Address!)),
        ("OpenRead(Uri)", (c, i) => c.OpenRead(i.Uri), (c, i) => WebClientPatches.OpenRead(c, i.Uri)),
        ("OpenWrite(string)", (c, i) => c.OpenWrite(i.Address!), (c, i) => WebClientPatches.OpenWrite(c, i.Address!)),
        ("OpenWrite(Uri)", (c, i) => c.OpenWrite(i.Uri), (c, i) => WebClientPatches.OpenWrite(c, i.Uri)),
        ("OpenWrite(string, PUT)", (c, i) => c.OpenWrite(i.Address!, "PUT"), (c, i) => WebClientPatches.OpenWrite(c, i.Address!, "PUT")),
        ("OpenWrite(Uri, PUT)", (c, i) => c.OpenWrite(i.Uri, "PUT"), (c, i) => WebClientPatches.OpenWrite(c, i.Uri, "PUT")),
        ("UploadString(string)", (c, i) => c.UploadString(i.Address!, i.Text!), (c, i) => WebClientPatches.UploadString(c, i.Address!, i.Text!)),
        ("UploadString(Uri)", (c, i) => c.UploadString(i.Uri, i.Text!), (c, i) => WebClientPatches.UploadString(c, i.Uri, i.Text!)),
        ("UploadString(string, PUT)", (c, i) => c.UploadString(i.Address!, "PUT", i.Text!), (c, i) => WebClientPatches.UploadString(c, i.Address!, "PUT", i.Text!)),
        ("UploadString(Uri, PUT)", (c, i) => c.UploadString(i.Uri, "PUT", i.Text!), (c, i) => WebClientPatches.UploadString(c, i.Uri, "PUT", i.Text!)),
        ("UploadData(string)", (c, i) => c.UploadData(i.Address!, i.Bytes!), (c, i) => WebClientPatches.UploadData(c, i.Address!, i.Bytes!)),
        ("UploadData(Uri)", (c, i) => c.UploadData(i.Uri, i.Bytes!), (c, i) => WebClientPatches.UploadData(c, i.Uri, i.Bytes!)),
        ("UploadData(string, PUT)", (c, i) => c.UploadData(i.Address!, "PUT", i.Bytes!), (c, i) => WebClientPatches.UploadData(c, i.Address!, "PUT", i.Bytes!)),
        ("UploadData(Uri, PUT)", (c, i) => c.UploadData(i.Uri, "PUT", i.Bytes!), (c, i) => WebClientPatches.UploadData(c, i.Uri, "PUT", i.Bytes!)),
        ("UploadFile(string)", (c, i) => c.UploadFile(i.Address!, i.Upload!), (c, i) => WebClientPatches.UploadFile(c, i.Address!, i.Upload!)),
        ("UploadFile(Uri)", (c, i) => c.UploadFile(i.Uri, i.Upload!), (c, i) => WebClientPatches.UploadFile(c, i.Uri, i.Upload!)),
        ("UploadFile(string, PUT)", (c, i) => c.UploadFile(i.Address!, "PUT", i.Upload!), (c, i) => WebClientPatches.UploadFile(c, i.Address!, "PUT", i.Upload!)),
        ("UploadFile(Uri, PUT)", (c, i) => c.UploadFile(i.Uri, "PUT", i.Upload!), (c, i) => WebClientPatches.UploadFile(c, i.Uri, "PUT", i.Upload!)),
        ("UploadValues(string)", (c, i) => c.UploadValues(i.Address!, i.Values!), (c, i) => WebClientPatches.UploadValues(c, i.Address!, i.Values!)),
        ("UploadValues(Uri)", (c, i) => c.UploadValues(i.Uri, i.Values!), (c, i) => WebClientPatches.UploadValues(c, i.Uri, i.Values!)),
        ("UploadValues(string, PUT)", (c, i) => c.UploadValues(i.Address!, "PUT", i.Values!), (c, i) => WebClientPatches.UploadValues(c, i.Address!, "PUT", i.Values!)),
        ("UploadValues(Uri, PUT)", (c, i) => c.UploadValues(i.Uri, "PUT", i.Values!), (c, i) => WebClientPatches.UploadValues(c, i.Uri, "PUT", i.Values!)),
    ];

    private static object? Void(Action call)
    {
        call();
        return null;
    }

    /// <summary>
    /// Runs <paramref name="method"/> on a fresh client (or a null one): its result as text (a stream read, or written to and closed),
    /// or its exception described; then what is at the download target, which is set up first as the inputs say.
    /// </summary>
    private string Outcome(Func<WebClient, Inputs, object?> method, Inputs inputs, bool nullClient = false)
    {
        if (inputs.Target is { } target && Directory.Exists(Path.GetDirectoryName(target)))
        {
            File.Delete(target);
            if (inputs.TargetExists)
            {
                File.WriteAllText(target, "old");
            }
        }

        using var client = new WebClient();
        var result = WebOutcome.Of(() => Shown(method(nullClient ? null! : client, inputs)), text => text);
        var leftover = inputs.Target is { } path && File.Exists(path) ? $"file \"{File.ReadAllText(path)}\"" : "no file";
        return $"{Boundary().Replace(result, "BOUNDARY")}; {leftover}";
    }

    private string Shown(object? result)
    {
        switch (result)
        {
            case byte[] bytes:
                return Encoding.UTF8.GetString(bytes);
            case Stream { CanRead: true } read:
                using (var reader = new StreamReader(read))
                {
                    return reader.ReadToEnd();
                }

            case Stream write:
                // Closing the stream sends the request.
                using (write)
                {
                    write.Write("data"u8);
                }

                return $"sent {_server.LastRequest}";
            default:
                return $"{result}";
        }
    }

    /// <summary>UploadFile's multipart boundary, which holds the time.</summary>
    [GeneratedRegex("-{21}[0-9a-f]+")]
    private static partial Regex Boundary();

    private sealed record Inputs(string? Address, string? Text, byte[]? Bytes, NameValueCollection? Values, string? Upload, string? Target, bool TargetExists)
    {
        /// <summary>The address as a Uri, relative when it is not absolute (null stays null).</summary>
        public Uri Uri => Address is null ? null! : new Uri(Address, UriKind.RelativeOrAbsolute);
    }

    /// <summary>Overrides what both paths call: its request settings hold in both.</summary>
    private sealed class ShortTimeoutClient : WebClient
    {
        protected override WebRequest GetWebRequest(Uri address)
        {
            var request = base.GetWebRequest(address);
            request.Timeout = 200;
            return request;
        }
    }

    /// <summary>Overrides what only the synchronous path calls.</summary>
    private sealed class RecordingClient : WebClient
    {
        public int Responses { get; private set; }

        protected override WebResponse GetWebResponse(WebRequest request)
        {
            Responses++;
            return base.GetWebResponse(request);
        }
    }
}
