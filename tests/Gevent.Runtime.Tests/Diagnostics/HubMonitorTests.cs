using System.Collections.Concurrent;
using System.Diagnostics;
using Gevent.CompilerServices;

namespace Gevent.Tests.Diagnostics;

/// <summary>
/// The monitor is process-wide; each test only looks at reports about its own hub. Run alone: its greenlets spin a
/// CPU for hundreds of milliseconds, which would starve the tickers other tests use to prove their hub kept running.
/// </summary>
[Collection(SequentialCollection.Name)]
public class HubMonitorTests
{
    private const string StacklessHog = "stackless hog";

    // The reports of the test running now (the class runs alone, one test at a time).
    private static ConcurrentQueue<BlockingReport> s_reports = new();

    [Fact]
    public void AGreenletThatSpinsIsReportedWithItsNameAndWhereItLastWaited()
    {
        var reports = ReportsAbout(() => Spin("cpu hog"));

        var report = Assert.Single(reports, r => r.GreenletName == "cpu hog");
        Assert.Equal("cpu hog", report.GreenletName);
        Assert.True(report.BlockedFor >= TimeSpan.FromMilliseconds(100), $"reported after {report.BlockedFor}");
        Assert.Equal("Sleep()", report.LastWaitedOn);
        Assert.Contains(nameof(AGreenletThatSpinsIsReportedWithItsNameAndWhereItLastWaited), report.SpawnedAt);
        Assert.NotNull(report.ResumedAt);
        Assert.Contains("cpu hog", report.ToString());
    }

    [Fact]
    public void AStacklessGreenletThatSpinsIsReportedAsAnyGreenlet()
    {
        var reports = ReportsAbout(() =>
        {
            var spinner = ResumableGreenlet.Spawn(SleepThenSpin);
            spinner.Name = StacklessHog;
            Assert.NotNull(spinner.Frames);
            spinner.Join();
        });

        var report = Assert.Single(reports, r => r.GreenletName == StacklessHog);
        Assert.Equal("Sleep()", report.LastWaitedOn);
    }

    [Fact]
    public void AGreenletThatYieldsIsNotReported()
    {
        // The greenlets yield and sleep for longer than the limit, so a monitor that reported them would do so in every
        // round. A loaded machine can stall the baton holder's thread for a whole limit, which is rightly reported; a
        // round with no report at all shows the yields keep the monitor quiet.
        var reportsPerRound = new List<int>();
        do
        {
            reportsPerRound.Add(ReportsAbout(YieldAndSleep, limit: TimeSpan.FromMilliseconds(500)).Count);
        }
        while (reportsPerRound[^1] > 0 && reportsPerRound.Count < 3);

        Assert.True(reportsPerRound[^1] == 0, $"reports per round: {string.Join(", ", reportsPerRound)}");

        static void YieldAndSleep()
        {
            var polite = Greenlet.Spawn(() =>
            {
                var stopwatch = Stopwatch.StartNew();
                while (stopwatch.Elapsed < TimeSpan.FromMilliseconds(1200))
                {
                    Thread.SpinWait(100);
                    Greenlet.Yield();
                }
            });
            var sleeper = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(1200)));
            Greenlet.JoinAll([polite, sleeper]);
        }
    }

    [Fact]
    public void AFailingLoggerDoesNotEndTheMonitor()
    {
        var original = GeventLogging.LoggerFactory;
        var failing = new FailingLoggerFactory();
        GeventLogging.LoggerFactory = failing;
        try
        {
            // Each report is logged to a logger that throws, on the monitor's own thread: the monitor
            // must survive the first to report the second (and the process must survive at all).
            var reports = ReportsAbout(() =>
            {
                Spin("first");
                Spin("second");
            }, logReports: true);

            Assert.Equal(["first", "second"], reports.Select(r => r.GreenletName).Where(name => name is "first" or "second"));
            Assert.True(failing.Attempts >= 2, $"{failing.Attempts} attempts to log");
            Assert.True(Hub.Monitor.IsRunning);
        }
        finally
        {
            GeventLogging.LoggerFactory = original;
            Hub.Monitor.Start(logReports: false);
        }
    }

    [Fact]
    public void ALoggedReport_IsTaggedWithTheHubItIsAbout()
    {
        var recording = new RecordingLoggerFactory();
        List<BlockingReport> reports = [];
        try
        {
            // Written on the monitor's thread, which carries no greenlet: the tag is the reported hub's.
            recording.Around(() => reports = ReportsAbout(() => Spin("logged hog"), logReports: true));
        }
        finally
        {
            Hub.Monitor.Start(logReports: false);
        }

        var report = Assert.Single(reports, r => r.GreenletName == "logged hog");
        var logged = recording.Entries.Where(entry => entry.Category == "Gevent.Monitor" && entry.Text.Contains("'logged hog'", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(logged);
        Assert.All(logged, entry => Assert.Equal(report.Hub.Id, entry.Hub));
    }

    [Fact]
    public void AFailingBlockingDetectedHandlerGoesToTheHubsErrorHandler_AndTheMonitorGoesOn()
    {
        EventHandler<BlockingReport> failing = (_, report) => throw new FormatException($"handler failed on {report.GreenletName}");
        Hub.Monitor.Start(TimeSpan.FromMilliseconds(100), logReports: false);
        Hub.Monitor.BlockingDetected += failing;
        try
        {
            // Thrown on the monitor's own thread, twice: the second report shows the monitor survived the first.
            var errors = new List<Exception>();
            var reports = ReportsAbout(() =>
            {
                Hub.Current.ErrorHandler = (_, e) => errors.Add(e);
                Spin("first");
                Spin("second");
                Greenlet.Sleep(TimeSpan.FromMilliseconds(50));
                // Distinct: a greenlet reported before its first wait too (a stalled start) fails the handler twice.
                Assert.Equal(["handler failed on first", "handler failed on second"], errors.Select(e => e.Message).Distinct());
            });

            Assert.Equal(["first", "second"], reports.Select(r => r.GreenletName).Where(name => name is "first" or "second"));
            Assert.True(Hub.Monitor.IsRunning);
        }
        finally
        {
            Hub.Monitor.BlockingDetected -= failing;
        }
    }

    [Fact]
    public void AGreenletThatSwallowsItsHubsDisposalIsReported_TheDisposalEndsWhenItGivesUp()
    {
        // Each blocking point re-throws a standing kill at once, without yielding: a greenlet that catches it and blocks
        // again in a loop holds the baton, and the main greenlet in Dispose cannot run to bound it. The monitor sees it;
        // the greenlet gives up once it has been reported (not after a fixed time, which a loaded machine can outlast),
        // by a report made while it swallows: one made before (the OS stalled its thread for a whole limit as the kill
        // woke it) is not the one this test is about.
        const string name = "swallows its kill";
        var swallowed = 0;
        var reportedBeforeTheKill = -1;
        var disposed = false;
        var giveUp = new Stopwatch();
        bool GoesOnSwallowing()
        {
            var reported = ReportedCount(name);
            if (reportedBeforeTheKill < 0)
            {
                reportedBeforeTheKill = reported;
            }

            return reported == reportedBeforeTheKill && giveUp.Elapsed < TimeSpan.FromSeconds(10);
        }

        var reports = ReportsAbout(() =>
        {
            var hub = Hub.Current;
            var stubborn = Greenlet.Spawn(() =>
            {
                while (true)
                {
                    try
                    {
                        Greenlet.Sleep(TimeSpan.FromHours(1));
                    }
                    catch (GreenletExit) when (GoesOnSwallowing())
                    {
                        swallowed++;
                    }
                }
            });
            stubborn.Name = name;
            Greenlet.Yield();
            giveUp.Start();
            hub.Dispose();
            disposed = hub.IsDisposed && stubborn.Dead;
        });

        Assert.True(disposed);
        Assert.True(swallowed > 1, $"the kill was swallowed {swallowed} times; reported {reportedBeforeTheKill} times before (-1: never ran the kill)");
        // By name: the main greenlet, disposing, may be stalled past the limit too on a loaded machine.
        Assert.Contains(reports, r => r.GreenletName == name);
        var report = reports.Last(r => r.GreenletName == name);
        Assert.Equal("Sleep()", report.LastWaitedOn);
    }

    /// <summary>
    /// Spawns a greenlet named <paramref name="name"/> that waits once, then holds the baton until the monitor has
    /// reported it (at most 10 s), and joins it.
    /// </summary>
    private static void Spin(string name)
    {
        var spinner = Greenlet.Spawn(() =>
        {
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            SpinUntilReported(name);
        });
        spinner.Name = name;
        spinner.Join();
    }

    /// <summary>
    /// Greenlet.Sleep(1 ms); then hold the baton until reported — hand-woven (docs/execution-tiers.md, "The frame
    /// contract"): transparent, as it keeps nothing across the sleep, so a resume simply calls the sleep again.
    /// </summary>
    [Resumable]
    private static void SleepThenSpin()
    {
        Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
        if (FrameStack.Current is { IsSuspending: true })
        {
            return;
        }

        SpinUntilReported(StacklessHog);
    }

    /// <summary>
    /// Holds the baton until the monitor reports <paramref name="name"/> after its wait, rather than for a fixed time:
    /// on a loaded machine the monitor's own thread can be starved for longer than any fixed spin.
    /// </summary>
    private static void SpinUntilReported(string name)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!IsReported(name) && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.SpinWait(100);
        }
    }

    /// <summary>Whether the monitor has reported <paramref name="name"/> after its first wait.</summary>
    private static bool IsReported(string name) => ReportedCount(name) > 0;

    /// <summary>How many times the monitor has reported <paramref name="name"/> after its first wait.</summary>
    private static int ReportedCount(string name) => s_reports.Count(report => report.GreenletName == name && report.LastWaitedOn is not null);

    /// <summary>
    /// Runs <paramref name="body"/> in a fresh hub under a monitor (100 ms unless <paramref name="limit"/> says
    /// otherwise: a test expecting no report allows more, since a loaded machine can stall any thread), logging the reports
    /// too with <paramref name="logReports"/>; the reports about that hub.
    /// </summary>
    private static List<BlockingReport> ReportsAbout(Action body, TimeSpan? limit = null, bool logReports = false)
    {
        Hub.Monitor.Start(limit ?? TimeSpan.FromMilliseconds(100), logReports);
        var reports = new ConcurrentQueue<BlockingReport>();
        s_reports = reports;
        EventHandler<BlockingReport> collect = (_, report) => reports.Enqueue(report);
        Hub.Monitor.BlockingDetected += collect;
        try
        {
            Hub? hub = null;
            HubTest.Run(() =>
            {
                hub = Hub.Current;
                body();
            });
            // A greenlet whose start the OS stalls for a whole limit (a loaded machine) is reported before its first
            // wait, rightly but not what these tests look at: each looks at what its greenlets do after waiting once.
            return reports.Where(r => r.Hub == hub && r.LastWaitedOn is not null).ToList();
        }
        finally
        {
            Hub.Monitor.BlockingDetected -= collect;
        }
    }

    [Fact]
    public void ANonPositiveLimitIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Hub.Monitor.Start(TimeSpan.Zero));
    }
}
