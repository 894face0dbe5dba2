using Gevent.CompilerServices;

namespace Gevent.Bench.Stackless;

/// <summary>
/// The micro workloads on stackless greenlets: bodies written as the weaver will emit them
/// (<see cref="HandWoven"/>), each workload driven from a stackless greenlet, so that every switch it
/// measures is between two stackless greenlets. Must run on a hub thread (see <see cref="HubThread"/>).
/// </summary>
internal static class StacklessWorkloads
{
    /// <summary>gevent_micro.py parks 100,000 greenlets; stackless ones need no thread each, so the same count here.</summary>
    public const int Parked = 100_000;

    public const string Family = "Gevent .NET, stackless";

    public static FamilyResults Run()
    {
        var sizes = WorkloadSizes.Gevent;
        var results = new FamilyResults(Family);
        ParkMany(16)();
        results.Set(MicroWorkload.BytesPerParked100k, MemoryProbe.BytesPerItem(Parked, ParkMany));
        results.Set(MicroWorkload.SpawnJoin, Measure.BestOf(sizes.SpawnJoin, n => Drive([Resumable] () => HandWoven.SpawnJoin(n))));
        results.Set(MicroWorkload.Switch, Measure.BestOf(sizes.Switch, Switches));
        results.Set(MicroWorkload.QueuePingPong, Measure.BestOf(sizes.PingPong, PingPong));
        results.Set(MicroWorkload.EventWakeup, Measure.BestOf(sizes.EventWakeup, n => Drive([Resumable] () => HandWoven.EventWakeups(n))));
        return results;
    }

    /// <summary>Runs <paramref name="body"/> in a stackless greenlet and waits for it from the (thread-backed) main one.</summary>
    private static void Drive(Action body) => ResumableGreenlet.Spawn(body).Join();

    // One op = one switch, as in gevent_micro.py's sleep0_switch.
    internal static void Switches(int n) => Greenlet.JoinAll(
    [
        ResumableGreenlet.Spawn([Resumable] () => HandWoven.YieldTimes(n / 2)),
        ResumableGreenlet.Spawn([Resumable] () => HandWoven.YieldTimes(n / 2)),
    ]);

    // One op = one message.
    private static void PingPong(int n)
    {
        var there = new GreenQueue<int>();
        var back = new GreenQueue<int>();
        Greenlet.JoinAll(
        [
            ResumableGreenlet.Spawn([Resumable] () => HandWoven.PingPong(there, back, getFirst: false, n / 2)),
            ResumableGreenlet.Spawn([Resumable] () => HandWoven.PingPong(there, back, getFirst: true, n / 2)),
        ]);
    }

    private static Action ParkMany(int count)
    {
        var handles = new List<Greenlet>(count);
        for (var i = 0; i < count; i++)
        {
            handles.Add(ResumableGreenlet.Spawn(HandWoven.SleepLong));
        }

        Greenlet.Sleep(MemoryProbe.Settle);
        return () => Greenlet.KillAll(handles);
    }
}
