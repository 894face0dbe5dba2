using System.Collections.Concurrent;

namespace Gevent.Tests.Greenlets.Threads;

[Collection(SequentialCollection.Name)] // the pool is the process's: another test's hubs would take from it meanwhile
public class WorkerPoolTests
{
    private const int Sleepers = 20;

    // Both ways round: the pool's lists are kept in the order their CPUs first came, so one way round a hub whose
    // list is not the first is the one that must look in its own first.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void AHubTakesIdleThreadsPinnedToItsOwnCpu_BeforeThoseAnotherHubLeftLast(int taker) => HubTest.OnPlainThread(() =>
    {
        using var group = HubGroup.Start(2);
        if (group.Hubs[0].Cpu < 0 || group.Hubs[0].Cpu == group.Hubs[1].Cpu)
        {
            return; // nothing to keep apart: one CPU, or pinning off
        }

        var other = 1 - taker;

        // The hub each thread last ran a greenlet of, and so the CPU it is pinned to while idle.
        var lastHub = new ConcurrentDictionary<int, int>();
        group.SpawnAsync(taker, () => SleepAll(3 * Sleepers, taker, lastHub)).Wait();

        // The other hub goes last, so under one shared LIFO list its threads were the first a new start took, and the
        // taker had to move each of them back to its CPU.
        group.SpawnAsync(other, () => SleepAll(Sleepers, other, lastHub)).Wait();
        var threads = group.SpawnAsync(taker, () => SleepAll(Sleepers, taker, lastHub: null)).Result;

        var moved = threads.Where(thread => lastHub.TryGetValue(thread, out var hub) && hub == other).ToArray();
        Assert.True(moved.Length == 0, $"{moved.Length} of hub {taker}'s {Sleepers} greenlets ran on threads hub {other} had left on its CPU");
    });

    /// <summary>Runs <paramref name="count"/> greenlets that sleep at once (each on a thread of its own); returns their threads.</summary>
    private static int[] SleepAll(int count, int hub, ConcurrentDictionary<int, int>? lastHub)
    {
        var threads = new ConcurrentBag<int>();
        var sleepers = Enumerable.Range(0, count).Select(_ => Greenlet.Spawn(() =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            lastHub?.AddOrUpdate(Environment.CurrentManagedThreadId, hub, (_, _) => hub);
            Greenlet.Sleep(TimeSpan.FromMilliseconds(20));
        })).ToList();
        Greenlet.JoinAll(sleepers, throwOnError: true);
        return [.. threads];
    }
}
