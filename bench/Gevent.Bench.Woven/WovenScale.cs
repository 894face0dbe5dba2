namespace Gevent.Bench.Woven;

/// <summary>
/// Many parked greenlets spawned from woven code, for the bench's <c>scale</c> command: plain code that sleeps or
/// waits as an application would, which the weaver makes resumable, so each greenlet parks without a thread.
/// </summary>
public static class WovenScale
{
    /// <summary>Spawns <paramref name="count"/> greenlets that each sleep <paramref name="duration"/> (gevent_micro.py's sleepers).</summary>
    public static List<Greenlet> SpawnSleepers(int count, TimeSpan duration)
    {
        var sleepers = new List<Greenlet>(count);
        for (var i = 0; i < count; i++)
        {
            sleepers.Add(Greenlet.Spawn(() => Thread.Sleep(duration)));
        }

        return sleepers;
    }

    /// <summary>Spawns <paramref name="count"/> greenlets that each wait for <paramref name="wake"/> to be set.</summary>
    public static List<Greenlet> SpawnWaiters(int count, GreenEvent wake)
    {
        var waiters = new List<Greenlet>(count);
        for (var i = 0; i < count; i++)
        {
            waiters.Add(Greenlet.Spawn(() => wake.Wait()));
        }

        return waiters;
    }
}
