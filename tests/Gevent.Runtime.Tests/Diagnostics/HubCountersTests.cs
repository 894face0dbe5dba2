namespace Gevent.Tests.Diagnostics;

/// <summary>Each hub counts its own switches; the process totals add the hubs that are gone.</summary>
public class HubCountersTests
{
    [Fact]
    public void TwoHubsSwitchingAtOnce_EachCountsExactlyItsOwnSwitches() => HubTest.OnPlainThread(() =>
    {
        const int yields = 200_000;
        using var group = HubGroup.Start(2);

        // Alone in its hub, a greenlet's yield hands the baton back to itself: one switch each, nothing else.
        long YieldAndCount()
        {
            var hub = Hub.Current;
            var before = hub.Switches;
            for (var i = 0; i < yields; i++)
            {
                Greenlet.Yield();
            }

            return hub.Switches - before;
        }

        var counted = Task.WhenAll(group.SpawnAsync(0, YieldAndCount), group.SpawnAsync(1, YieldAndCount)).GetAwaiter().GetResult();
        Assert.Equal([yields, yields], counted);
    });

    [Fact]
    public void TheProcessTotals_KeepADisposedHubsCounts() => HubTest.OnPlainThread(() =>
    {
        const int yields = 20_000;
        var switchesBefore = HubRegistry.Total(static counters => counters.Switches);
        var iterationsBefore = HubRegistry.Total(static counters => counters.Iterations);
        var hub = Hub.Current;
        for (var i = 0; i < yields; i++)
        {
            Greenlet.Yield();
        }

        Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
        var (switches, iterations) = (hub.Switches, hub.Loop.Iterations);
        Assert.True(switches >= yields && iterations > 0, $"{switches} switches, {iterations} iterations");
        hub.Dispose();

        // The hub has left the registry; its counts stay in the totals (other tests' hubs may only add to them).
        Assert.DoesNotContain(hub, HubRegistry.Snapshot());
        Assert.True(HubRegistry.Total(static counters => counters.Switches) >= switchesBefore + switches, "the disposed hub's switches left the total");
        Assert.True(HubRegistry.Total(static counters => counters.Iterations) >= iterationsBefore + iterations, "the disposed hub's iterations left the total");
    });
}
