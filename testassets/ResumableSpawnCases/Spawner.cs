using Gevent;

namespace ResumableSpawnCases;

/// <summary>
/// Spawns greenlets the ways application code does: lambdas, a method group, a <c>Func&lt;T&gt;</c>, a delegate
/// handed in, a group's spawn, a delayed spawn, a greenlet made with <c>new</c> and started later. Each body
/// blocks only through <see cref="Thread"/> calls, which the weaver rewrites; the log records what ran, in order, for the tests to compare with the original's.
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

    /// <summary>A lambda started after <paramref name="delay"/> that logs, then sleeps until killed.</summary>
    public Greenlet SpawnLaterParker(TimeSpan delay) => Greenlet.SpawnLater(delay, () =>
    {
        Log.Add("late");
        Thread.Sleep(Timeout.Infinite);
    });

    /// <summary>A <c>Func&lt;T&gt;</c> started after <paramref name="delay"/>, computed across a suspension.</summary>
    public static Greenlet<long> SpawnLaterSquare(TimeSpan delay, int i) => Greenlet.SpawnLater(delay, () => Square(i));

    /// <summary>Started after <paramref name="delay"/>, a body outside the slice (a wait inside a <c>finally</c>): thread-backed.</summary>
    public Greenlet SpawnLaterUncovered(TimeSpan delay, int milliseconds) => Greenlet.SpawnLater(delay, () =>
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

    /// <summary>A delegate made elsewhere, started after <paramref name="delay"/>.</summary>
    public static Greenlet SpawnLaterGiven(TimeSpan delay, Action body) => Greenlet.SpawnLater(delay, body);

    /// <summary>A greenlet made, not started, over a lambda that logs, then sleeps until killed: the caller starts it.</summary>
    public Greenlet CreateParker() => new Greenlet(() =>
    {
        Log.Add("created");
        Thread.Sleep(Timeout.Infinite);
    });

    /// <summary>A <c>Greenlet&lt;T&gt;</c> made, not started, over a value computed across a suspension.</summary>
    public static Greenlet<long> CreateSquare(int i) => new Greenlet<long>(() => Square(i));

    /// <summary>A greenlet made over a body outside the slice: as compiled, thread-backed however it is started.</summary>
    public Greenlet CreateUncovered(int milliseconds) => new Greenlet(() =>
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

    /// <summary>A greenlet made over a delegate made elsewhere.</summary>
    public static Greenlet CreateGiven(Action body) => new Greenlet(body);

    /// <summary>Makes a greenlet over a lambda that sleeps and starts it here, the way <c>Spawn</c> does.</summary>
    public Greenlet CreateAndStart(int milliseconds)
    {
        var greenlet = new Greenlet(() =>
        {
            Log.Add("made");
            Thread.Sleep(milliseconds);
            Log.Add("woke");
        });
        greenlet.Start();
        return greenlet;
    }

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
