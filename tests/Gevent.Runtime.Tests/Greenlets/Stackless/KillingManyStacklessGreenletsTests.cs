using System.Runtime.CompilerServices;
using Gevent.CompilerServices;

namespace Gevent.Tests.Greenlets.Stackless;

/// <summary>
/// Killing parked stackless greenlets in bulk (docs/execution-tiers.md, "Scale"): the kill makes no exception
/// until the greenlet runs, a dead greenlet keeps none, and the time grows linearly with the count. Run alone:
/// they count allocations and compare times.
/// </summary>
[Collection(SequentialCollection.Name)]
public class KillingManyStacklessGreenletsTests
{
    [Fact]
    public void KillingParkedGreenletsCreatesNoExceptionUntilEachRuns()
    {
        HubTest.Run(() =>
        {
            const int count = 1_000;
            var log = new List<string>();
            var sleepers = SpawnParked(count, log);

            // The spawns queued every greenlet once, so the ready queue already has room for the kills.
            var before = GC.GetAllocatedBytesForCurrentThread();
            foreach (var sleeper in sleepers)
            {
                sleeper.Kill(block: false);
            }

            var perKill = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)count;
            Greenlet.JoinAll(sleepers);

            // A GreenletExit alone is over 100 bytes.
            Assert.True(perKill < 16, $"{perKill:F0} bytes allocated per kill of a parked greenlet");
            Assert.All(sleepers, g => Assert.True(g.Dead && g.Successful));
            Assert.Equal(count, log.Count(entry => entry == "finally"));
        });
    }

    [Fact]
    public void ADeadKilledGreenletKeepsNoReferenceToItsKill()
    {
        HubTest.Run(() =>
        {
            var sleeper = SpawnParked(1, new List<string>())[0];
            var kill = KillWithOwnExit(sleeper);
            Assert.True(sleeper.Dead && sleeper.Successful);

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();

            Assert.False(kill.IsAlive, "the dead greenlet still holds the GreenletExit it was killed with");
            GC.KeepAlive(sleeper);
        });
    }

    [Fact]
    public void KillingFourTimesAsManyTakesAboutFourTimesAsLong()
    {
        HubTest.Run(() =>
        {
            const int few = 3_000;
            KillAllParked(few);

            // The process's CPU time, not a stopwatch: at a load average of 40 the wall time of the larger size (2.7 s
            // at best) took in far more waits for a CPU than the smaller one's (0.25 s at best), and its ratio was 10.9.
            // The cheapest of five rounds each, the two sizes taking turns; each round starts from a collected heap.
            var fewTime = TimeSpan.MaxValue;
            var manyTime = TimeSpan.MaxValue;
            for (var round = 0; round < 5; round++)
            {
                GC.Collect();
                fewTime = Min(fewTime, KillAllParked(few));
                GC.Collect();
                manyTime = Min(manyTime, KillAllParked(4 * few));
            }

            var ratio = manyTime.TotalSeconds / fewTime.TotalSeconds;
            Assert.True(ratio < 10, $"killing {4 * few} took {ratio:F1}× the CPU time of killing {few} ({manyTime.TotalMilliseconds:F0} ms against {fewTime.TotalMilliseconds:F0} ms): worse than linear");
        }, timeoutSeconds: 300);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan KillAllParked(int count)
    {
        var sleepers = SpawnParked(count, log: null);
        var start = ProcessCpuClock.Now;
        Greenlet.KillAll(sleepers);
        var elapsed = ProcessCpuClock.Now - start;
        Assert.All(sleepers, g => Assert.True(g.Dead && g.Successful));
        return elapsed;
    }

    /// <summary>Spawns <paramref name="count"/> stackless greenlets that sleep (with a finally that logs), and lets them all park.</summary>
    private static List<Greenlet> SpawnParked(int count, List<string>? log)
    {
        var sleepers = new List<Greenlet>(count);
        for (var i = 0; i < count; i++)
        {
            sleepers.Add(ResumableGreenlet.Spawn([Resumable] () => Woven.SleepWithFinally(TimeSpan.FromMinutes(10), log ?? [])));
        }

        Greenlet.Yield();
        Assert.All(sleepers, g => Assert.False(g.Dead));
        Assert.All(sleepers, g => Assert.Null(g.Carrier));
        return sleepers;
    }

    // Not inlined: the test's own frame must hold no reference to the exception.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference KillWithOwnExit(Greenlet greenlet)
    {
        var exit = new GreenletExit("killed by the test");
        greenlet.Kill(exit);
        return new WeakReference(exit);
    }
}
