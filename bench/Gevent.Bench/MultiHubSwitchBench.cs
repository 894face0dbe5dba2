using Gevent.Bench.Stackless;

namespace Gevent.Bench;

/// <summary>
/// The <c>hubs-switch</c> command: the micro switch workload on stackless greenlets, on one hub alone and then
/// on several hubs of a <see cref="HubGroup"/> at once, each hub switching as often as the one did. On as many
/// cores as hubs, the cost per switch per hub should not grow with the hubs: anything the hubs share on
/// every switch (a cache line written by all) shows as the difference.
/// </summary>
internal static class MultiHubSwitchBench
{
    private const int SwitchesPerHub = 1_000_000;

    public static int Run(int hubs)
    {
        var timings = new List<(string Name, double Us)>();
        foreach (var count in hubs == 1 ? [1] : new[] { 1, hubs })
        {
            using var group = HubGroup.Start(count);
            var us = Measure.BestOf(SwitchesPerHub, switches => Task.WaitAll(
                [.. Enumerable.Range(0, count).Select(hub => group.SpawnAsync(hub, () => StacklessWorkloads.Switches(switches)))]));
            timings.Add(($"stackless switch, {count} hub(s) at once", us));
        }

        return TimingReport.Run("hubs-switch", timings, "µs/switch, per hub");
    }
}
