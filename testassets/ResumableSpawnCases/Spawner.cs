using Gevent;

namespace ResumableSpawnCases;

/// <summary>
/// Spawns greenlets the ways application code does: lambdas, a method group, a <c>Func&lt;T&gt;</c>, a delegate
/// handed in, a group's spawn. Each body blocks only through <see cref="Thread"/> calls, which the weaver
/// rewrites; the log records what ran, in order, for the tests to compare with the original's.
/// </summary>
public sealed class Spawner
{
    /// <summary>What the bodies did, in order (all greenlets of one hub, so no lock).</summary>
    public List<string> Log { get; } = new();

    /// <summary>A lambda that sleeps: woven, it starts stackless.</summary>
    public Greenlet SpawnSleeper(int milliseconds) => Greenlet.Spawn(() =>
    {
        Log.Add("sleeping");
        Thread.Sleep(milliseconds);
        Log.Add("woke");
    });

    /// <summary>A <c>Func&lt;T&gt;</c> whose value is computed across a suspension.</summary>
    public static Greenlet<long> SpawnSquare(int i) => Greenlet.Spawn(() => Square(i));

    /// <summary>A body outside the resumable slice (it waits inside a <c>finally</c>): it starts thread-backed, as before weaving.</summary>
    public Greenlet SpawnUncovered(int milliseconds) => Greenlet.Spawn(() =>
    {
        try
        {
            Log.Add("try");
        }
        finally
        {
            Thread.Sleep(milliseconds);
        }
    });

    /// <summary>A delegate made elsewhere: which kind of greenlet it gets is decided when it is spawned.</summary>
    public static Greenlet SpawnGiven(Action body) => Greenlet.Spawn(body);

    /// <summary>A delegate made elsewhere, spawned in <paramref name="group"/>.</summary>
    public static Greenlet SpawnGivenIn(Group group, Action body) => group.Spawn(body);

    /// <summary>A member of <paramref name="group"/> that sleeps.</summary>
    public Greenlet SpawnIn(Group group, int milliseconds) => group.Spawn(() =>
    {
        Thread.Sleep(milliseconds);
        Log.Add("member");
    });

    /// <summary>A body that throws after it has suspended once.</summary>
    public static Greenlet SpawnFailing() => Greenlet.Spawn(() =>
    {
        Thread.Yield();
        throw new InvalidOperationException("failed after a yield");
    });

    /// <summary>A method group that parks until killed.</summary>
    public Greenlet SpawnParker() => Greenlet.Spawn(Park);

    /// <summary>
    /// Spawns a child, then yields to it: spawning does not run the child in this frame, so this method is
    /// itself resumable.
    /// </summary>
    public void SpawnThenYield()
    {
        Greenlet.Spawn(() => Log.Add("child"));
        Thread.Yield();
        Log.Add("parent");
    }

    /// <summary>A body that never blocks: nothing to save, so it runs stackless too.</summary>
    public static Greenlet SpawnCounter(int[] counter) => Greenlet.Spawn(() => counter[0]++);

    /// <summary>Code written for Gevent: the runtime's own waits (<see cref="Greenlet.Sleep"/>) suspend it as the patched BCL's do.</summary>
    public Greenlet SpawnGeventSleeper(TimeSpan duration) => Greenlet.Spawn(() =>
    {
        Log.Add("sleeping");
        Greenlet.Sleep(duration);
        Log.Add("woke");
    });

    /// <summary>Takes a number from <paramref name="input"/>, puts the next one on <paramref name="output"/>, returns the one taken.</summary>
    public static Greenlet<int> SpawnQueueEcho(GreenQueue<int> input, GreenQueue<int> output) => Greenlet.Spawn(() =>
    {
        var taken = input.Get();
        output.Put(taken + 1);
        return taken;
    });

    /// <summary>Logs, then sleeps until killed.</summary>
    public void Park()
    {
        Log.Add("parked");
        Thread.Sleep(Timeout.Infinite);
    }

    private static long Square(int i)
    {
        long n = i;
        Thread.Yield();
        return n * n;
    }
}
