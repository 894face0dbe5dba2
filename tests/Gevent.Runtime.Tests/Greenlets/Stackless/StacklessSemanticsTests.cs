using Gevent.CompilerServices;

namespace Gevent.Tests.Greenlets.Stackless;

/// <summary>
/// A stackless greenlet is a greenlet like any other: kills and timeouts interrupt its suspended wait and its
/// frames' finally blocks run, exceptions cross re-entered frames, and per-greenlet state stays its own.
/// </summary>
public class StacklessSemanticsTests
{
    [Fact]
    public void AKillInterruptsASuspendedWaitAndTheFramesFinallyRuns()
    {
        HubTest.Run(() =>
        {
            var log = new List<string>();
            var sleeper = ResumableGreenlet.Spawn([Resumable] () => Woven.SleepWithFinally(Timeout.InfiniteTimeSpan, log));
            var died = new List<string>();
            sleeper.Link(g => died.Add(g.Name));
            Greenlet.Yield();
            Assert.Empty(log);

            sleeper.Kill();

            Assert.True(sleeper.Dead);
            Assert.True(sleeper.Successful);
            Assert.Equal(["finally"], log);
            Greenlet.Yield();
            Assert.Equal([sleeper.Name], died);
        });
    }

    [Fact]
    public void ATimeoutInterruptsASuspendedSleepWithinItsScope()
    {
        HubTest.Run(() =>
        {
            // A log each: which of the two ends first depends on when each started, which load decides.
            var interruptedLog = new List<string>();
            var undisturbedLog = new List<string>();
            var greenlet = ResumableGreenlet.Spawn([Resumable] () => WovenContext.SleepWithin(TimeSpan.FromMilliseconds(5), Timeout.InfiniteTimeSpan, interruptedLog));
            var undisturbed = ResumableGreenlet.Spawn([Resumable] () => WovenContext.SleepWithin(TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(1), undisturbedLog));

            Greenlet.JoinAll([greenlet, undisturbed]);

            Assert.Equal(["timed out"], interruptedLog);
            Assert.Equal(["slept"], undisturbedLog);
            Assert.True(greenlet.Successful && undisturbed.Successful);
        });
    }

    [Fact]
    public void AReturnValueAndExceptionsCrossFramesReenteredAfterSuspensions()
    {
        HubTest.Run(() =>
        {
            var nap = TimeSpan.FromMilliseconds(1);
            var valueLog = new List<string>();
            var caughtLog = new List<string>();
            var failedLog = new List<string>();
            var value = ResumableGreenlet.Spawn([Resumable] () => Woven.Outer(nap, 21, rethrow: false, valueLog));
            var caught = ResumableGreenlet.Spawn([Resumable] () => Woven.Outer(nap, -1, rethrow: false, caughtLog));
            var failed = ResumableGreenlet.Spawn([Resumable] () => Woven.Outer(nap, -1, rethrow: true, failedLog));
            HubTest.CaptureErrors();

            Greenlet.JoinAll([value, caught, failed]);

            Assert.Equal(42, value.Get());
            Assert.Equal(["try", "after", "inner resumed", "finally"], valueLog);
            Assert.Equal(-1, caught.Get());
            Assert.Equal(["try", "after", "inner resumed", "caught deep", "finally"], caughtLog);
            var exception = Assert.IsType<InvalidOperationException>(failed.Exception);
            Assert.Equal("deep", exception.Message);
            Assert.Contains(nameof(Woven.Inner), exception.StackTrace);
            Assert.Contains(nameof(Woven.Outer), exception.StackTrace);
            Assert.Equal(["try", "after", "inner resumed", "finally"], failedLog);
        });
    }

    [Fact]
    public void CurrentGreenletLocalAndAsyncLocalStayPerGreenletOnASharedCarrier()
    {
        HubTest.Run(() =>
        {
            var local = new GreenletLocal<string>();
            var flow = new AsyncLocal<string>();
            var log = new List<string>();
            flow.Value = "main";
            var greenlets = new[] { "a", "b" }.Select(name =>
            {
                var greenlet = ResumableGreenlet.Spawn([Resumable] () => WovenContext.SetYieldRead(name, local, flow, log));
                greenlet.Name = name;
                return greenlet;
            }).ToList();

            Greenlet.JoinAll(greenlets);

            Assert.Equal(["a: a a a", "b: b b b"], log);
            Assert.Equal("main", flow.Value);
            Assert.All(greenlets, g => Assert.NotNull(g.Frames));
        });
    }

    [Fact]
    public void AStacklessGreenletJoinsStacklessAndThreadBackedOnes()
    {
        HubTest.Run(() =>
        {
            var stackless = ResumableGreenlet.Spawn([Resumable] () => Woven.SleepTimes(2, TimeSpan.FromMilliseconds(3), null));
            stackless.Name = "stackless";
            var threadBacked = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(1)));
            threadBacked.Name = "thread-backed";
            var log = new List<string>();
            var joiner = ResumableGreenlet.Spawn([Resumable] () => WovenJoin.JoinEach([stackless, threadBacked], log));

            Assert.True(joiner.Join());

            Assert.True(joiner.Successful, joiner.Exception?.ToString());
            Assert.NotNull(joiner.Frames);
            Assert.Equal(["stackless", "thread-backed"], log);
        });
    }

    [Fact]
    public void RunInfoListsStacklessGreenlets()
    {
        HubTest.Run(() =>
        {
            var sleeper = ResumableGreenlet.Spawn([Resumable] () => Woven.SleepTimes(1, Timeout.InfiniteTimeSpan, null));
            sleeper.Name = "stackless sleeper";
            Greenlet.Yield();

            var info = Hub.Current.FormatRunInfo();

            Assert.Contains("stackless sleeper: waiting on Sleep(Infinite), stackless", info);
            sleeper.Kill();
        });
    }
}
