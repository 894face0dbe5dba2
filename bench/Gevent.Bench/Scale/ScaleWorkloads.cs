using System.Diagnostics;
using Gevent.Bench.Stackless;
using Gevent.Bench.Woven;

namespace Gevent.Bench.Scale;

/// <summary>
/// Gevent for .NET's side of the <c>scale</c> command: many parked greenlets spawned from woven code (stackless),
/// and thread-backed ones at the counts tier 1 holds. Must run on a hub thread (see <see cref="HubThread"/>); the
/// caller is the main greenlet, as gevent_scale.py's module code is.
/// </summary>
internal static class ScaleWorkloads
{
    // Longer than any run: the sleepers are killed, never woken by their timers.
    private static readonly TimeSpan s_longSleep = TimeSpan.FromMinutes(10);

    // Stackless greenlets take no thread each; the carriers a hub starts are a handful.
    private const int MaxThreadsAdded = 64;

    /// <summary>The woven family: stackless greenlets spawned by bench/Gevent.Bench.Woven's <see cref="WovenScale"/>.</summary>
    public static FamilyResults Woven(ScaleRows rows)
    {
        var results = new FamilyResults(WovenWorkloads.Family);
        Greenlet.KillAll(SpawnParked("warm-up", () => WovenScale.SpawnSleepers(16, s_longSleep)).Greenlets);

        // Every bytes figure is growth over this baseline, so memory freed by one run and reused by the next still counts.
        var baseline = MemoryProbe.ReadAfterCollection();
        RecordPauses(results, parked: 0);

        var (hundredK, _) = SpawnParked("100,000 sleepers", () => WovenScale.SpawnSleepers(ScaleRows.HundredThousand, s_longSleep));
        results.Set(rows.Bytes100k, BytesEach(baseline, hundredK.Count), "resident set growth after a full collection");
        RecordPauses(results, ScaleRows.HundredThousand);
        Greenlet.KillAll(hundredK);

        var (sleepers, spawned) = SpawnParked($"{rows.Count:N0} sleepers", () => WovenScale.SpawnSleepers(rows.Count, s_longSleep));
        results.Set(rows.SpawnParkSleepers, spawned.TotalSeconds);
        results.Set(rows.BytesMany, BytesEach(baseline, sleepers.Count));
        results.Set(rows.KillAll, Timed(() => Greenlet.KillAll(sleepers)).TotalSeconds);
        ThrowIfAlive("KillAll", sleepers);

        var wake = new GreenEvent();
        var (waiters, waitersSpawned) = SpawnParked($"{rows.Count:N0} waiters", () => WovenScale.SpawnWaiters(rows.Count, wake));
        results.Set(rows.SpawnParkWaiters, waitersSpawned.TotalSeconds);
        results.Set(rows.WakeAll, Timed(() =>
        {
            wake.Set();
            Greenlet.JoinAll(waiters);
        }).TotalSeconds);
        ThrowIfAlive("Set + JoinAll", waiters);
        return results;
    }

    /// <summary>Tier 1: thread-backed sleepers (spawned from this un-woven code), one thread each.</summary>
    public static FamilyResults Tier1(ScaleRows rows)
    {
        var results = new FamilyResults("Gevent for .NET, tier 1");
        RecordPauses(results, parked: 0);
        foreach (var count in ScaleRows.Tier1Counts)
        {
            var before = MemoryProbe.ReadAfterCollection();
            var sleepers = SpawnThreadBacked(count, () => Greenlet.Spawn(static () => Greenlet.Sleep(s_longSleep)));
            if (count == ScaleRows.Tier1Counts[^1])
            {
                results.Set(rows.BytesTier1, (double)(MemoryProbe.ReadAfterCollection() - before) / count, "resident set growth after a full collection");
            }

            RecordPauses(results, count);
            Greenlet.KillAll(sleepers);
        }

        return results;
    }

    private static void RecordPauses(FamilyResults results, int parked)
    {
        var (gen0, gen2) = GcPause.Medians();
        results.Set(ScaleRows.GcPause(0, parked), gen0);
        results.Set(ScaleRows.GcPause(2, parked), gen2);
    }

    /// <summary>Spawns woven greenlets, checks each is stackless, waits until all are parked and checks none pinned or took a thread.</summary>
    private static (List<Greenlet> Greenlets, TimeSpan Elapsed) SpawnParked(string workload, Func<List<Greenlet>> spawn)
    {
        var pinsBefore = Hub.Current.Pins.Describe();
        var threadsBefore = Process.GetCurrentProcess().Threads.Count;
        var clock = Stopwatch.StartNew();
        var greenlets = spawn();
        StacklessCheck.ThrowIfThreadBacked(workload, greenlets);
        WaitUntilParked(workload, greenlets);
        var elapsed = clock.Elapsed;
        StacklessCheck.ThrowIfPinned(workload, pinsBefore);
        var threadsAdded = Process.GetCurrentProcess().Threads.Count - threadsBefore;
        if (threadsAdded > MaxThreadsAdded)
        {
            Greenlet.KillAll(greenlets);
            throw new InvalidOperationException($"{workload}: the process gained {threadsAdded} threads while they parked; stackless greenlets should take none each.");
        }

        return (greenlets, elapsed);
    }

    private static List<Greenlet> SpawnThreadBacked(int count, Func<Greenlet> spawn)
    {
        var greenlets = new List<Greenlet>(count);
        for (var i = 0; i < count; i++)
        {
            greenlets.Add(spawn());
        }

        WaitUntilParked($"{count:N0} thread-backed sleepers", greenlets);
        return greenlets;
    }

    /// <summary>Lets the spawned greenlets run until every one of them is parked in its wait.</summary>
    private static void WaitUntilParked(string workload, List<Greenlet> greenlets)
    {
        var parked = 0;
        while (parked < greenlets.Count)
        {
            Greenlet.Yield();
            for (; parked < greenlets.Count && greenlets[parked].State == GreenletState.Parked; parked++)
            {
            }

            if (parked < greenlets.Count && greenlets[parked].Dead)
            {
                throw new InvalidOperationException($"{workload}: greenlet {greenlets[parked].Name} ended instead of parking: {greenlets[parked].Exception}");
            }
        }
    }

    private static double BytesEach(long baseline, int count) => (double)(MemoryProbe.ReadAfterCollection() - baseline) / count;

    private static TimeSpan Timed(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed;
    }

    private static void ThrowIfAlive(string how, List<Greenlet> greenlets)
    {
        if (greenlets.FirstOrDefault(g => !g.Dead) is { } alive)
        {
            throw new InvalidOperationException($"{how} returned with greenlet {alive.Name} still alive.");
        }
    }
}
