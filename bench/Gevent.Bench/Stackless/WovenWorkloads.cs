using Gevent.Bench.Woven;

namespace Gevent.Bench.Stackless;

/// <summary>
/// The micro workloads from woven code (bench/Gevent.Bench.Woven, woven with resumable frames at build time):
/// what the weaver emits, driven as <see cref="StacklessWorkloads"/> drives the hand-woven bodies. Must run on a
/// hub thread (see <see cref="HubThread"/>). Every greenlet a workload starts must have run stackless without a
/// pin, or the figures would be tier 1's: the run stops with the reason otherwise.
/// </summary>
internal static class WovenWorkloads
{
    public const string Family = "Gevent .NET, woven stackless";

    public static FamilyResults Run()
    {
        var sizes = WorkloadSizes.Gevent;
        var results = new FamilyResults(Family);
        results.Set(MicroWorkload.SpawnJoin, Measure.BestOf(sizes.SpawnJoin, n => JoinAll(nameof(WovenMicro.SpawnJoin), WovenMicro.SpawnJoin(n))));
        results.Set(MicroWorkload.Switch, Measure.BestOf(sizes.Switch, n => JoinAll(nameof(WovenMicro.Switches), WovenMicro.Switches(n))));
        results.Set(MicroWorkload.QueuePingPong, Measure.BestOf(sizes.PingPong, n => JoinAll(nameof(WovenMicro.PingPong), WovenMicro.PingPong(n))));
        results.Set(MicroWorkload.EventWakeup, Measure.BestOf(sizes.EventWakeup, n => JoinAll(nameof(WovenMicro.EventWakeups), WovenMicro.EventWakeups(n))));
        return results;
    }

    private static void JoinAll(string workload, params Greenlet[] greenlets)
    {
        var pinsBefore = Hub.Current.Pins.Describe();
        StacklessCheck.ThrowIfThreadBacked(workload, greenlets);
        Greenlet.JoinAll(greenlets);
        StacklessCheck.ThrowIfPinned(workload, pinsBefore);
    }
}
