namespace Gevent.Tests.Greenlets;

/// <summary>
/// The hub drives greenlets only through its execution tier: under <see cref="RecordingTier"/>, which
/// shares nothing with tier 1, scheduling behaves as it does on tier 1 and every start, switch and
/// hand-off goes through the tier.
/// </summary>
public class ExecutionTierTests
{
    [Fact]
    public void GreenletsRunOnTheTiersCarriersAndEverySwitchGoesThroughIt()
    {
        HubTest.OnPlainThread(() =>
        {
            var tier = new RecordingTier();
            Hub.CreateForCurrentThread(tier);
            var log = new List<string>();
            var first = Spawn("first", () => { log.Add($"1A {Describe()}"); Greenlet.Yield(); log.Add($"1B {Describe()}"); });
            var second = Spawn("second", () => { log.Add($"2A {Describe()}"); Greenlet.Yield(); log.Add($"2B {Describe()}"); });

            Greenlet.JoinAll([first, second]);

            var carrier = RecordingTier.ThreadName;
            Assert.Equal([$"1A first on {carrier}", $"2A second on {carrier}", $"1B first on {carrier}", $"2B second on {carrier}"], log);
            Assert.Equal(
                ["adopt main", "start first", "switch main -> first", "start second", "switch first -> second",
                 "switch second -> first", "hand off to second", "hand off to main"],
                tier.Calls);
        });
    }

    [Fact]
    public void AGreenletItsTierCannotStartFailsWithTheTiersReasonAndTheNextOneRuns()
    {
        HubTest.OnPlainThread(() =>
        {
            var tier = new RecordingTier("doomed");
            Hub.CreateForCurrentThread(tier);
            var errors = HubTest.CaptureErrors();
            var doomedRan = false;
            var doomed = Spawn("doomed", () => doomedRan = true);
            var next = Spawn("next", () => { });

            Assert.True(doomed.Join());

            Assert.False(doomedRan);
            Assert.Equal("The recording tier refuses 'doomed'.", Assert.IsType<InvalidOperationException>(doomed.Exception).Message);
            Assert.Equal([(doomed, doomed.Exception)], errors);
            Assert.True(next.Successful);
            Assert.Equal(["adopt main", "start doomed", "start next", "switch main -> next", "hand off to main"], tier.Calls);
        });
    }

    [Fact]
    public void AKillReachesAGreenletSuspendedInTheTier()
    {
        HubTest.OnPlainThread(() =>
        {
            var tier = new RecordingTier();
            Hub.CreateForCurrentThread(tier);
            var cleanedUp = false;
            var sleeper = Spawn("sleeper", () =>
            {
                try
                {
                    Greenlet.Sleep(Timeout.InfiniteTimeSpan);
                }
                finally
                {
                    cleanedUp = true;
                }
            });
            Greenlet.Yield();
            Assert.False(cleanedUp);

            sleeper.Kill();

            Assert.True(cleanedUp);
            Assert.True(sleeper.Successful);
            Assert.Equal(
                ["adopt main", "start sleeper", "switch main -> sleeper", "switch sleeper -> main", "switch main -> sleeper", "hand off to main"],
                tier.Calls);
        });
    }

    private static Greenlet Spawn(string name, Action action)
    {
        var greenlet = new Greenlet(action) { Name = name };
        greenlet.Start();
        return greenlet;
    }

    private static string Describe() => $"{Greenlet.Current.Name} on {Thread.CurrentThread.Name}";
}
