namespace Gevent.Bench;

/// <summary>
/// Operation counts per workload. gevent_micro.py's counts by default; a family whose operations are
/// far slower (OS threads) uses smaller ones so the whole run stays bounded — µs per op is comparable either way.
/// </summary>
internal sealed record WorkloadSizes(int SpawnJoin, int SpawnSleepJoin, int Switch, int PingPong, int EventWakeup, int Parked, int HeavyTrials)
{
    public static readonly WorkloadSizes Gevent = new(
        SpawnJoin: 10_000, SpawnSleepJoin: 10_000, Switch: 100_000, PingPong: 100_000, EventWakeup: 10_000, Parked: 10_000, HeavyTrials: Measure.DefaultTrials);
}
