namespace Gevent.Bench.Woven;

/// <summary>
/// gevent_micro.py's workloads written as application code would be, with nothing of the frame contract: the
/// weaver makes them resumable, and the greenlets spawned here over them start stackless. Each member starts the
/// workload's greenlets from woven code and returns them for the bench to join from its main greenlet, as the
/// hand-woven <c>micro --stackless</c> does.
/// </summary>
public static class WovenMicro
{
    /// <summary>One greenlet that spawns <paramref name="count"/> greenlets doing nothing, then joins each.</summary>
    public static Greenlet SpawnJoin(int count) => Greenlet.Spawn(() => SpawnAndJoin(count));

    /// <summary>Two greenlets that yield to each other <paramref name="switches"/> times in all.</summary>
    public static Greenlet[] Switches(int switches) =>
        [Greenlet.Spawn(() => YieldTimes(switches / 2)), Greenlet.Spawn(() => YieldTimes(switches / 2))];

    /// <summary>Two greenlets passing <paramref name="messages"/> messages in all through two queues.</summary>
    public static Greenlet[] PingPong(int messages)
    {
        var there = new GreenQueue<int>();
        var back = new GreenQueue<int>();
        return [Greenlet.Spawn(() => Serve(there, back, messages / 2)), Greenlet.Spawn(() => Ask(there, back, messages / 2))];
    }

    /// <summary>One greenlet that, <paramref name="count"/> times, spawns a waiter on a fresh event, lets it park, sets the event and joins it.</summary>
    public static Greenlet EventWakeups(int count) => Greenlet.Spawn(new WakeUpRounds(count).Run);

    private static void SpawnAndJoin(int count)
    {
        var all = new List<Greenlet>(count);
        for (var i = 0; i < count; i++)
        {
            all.Add(Greenlet.Spawn(Nothing));
        }

        for (var j = 0; j < count; j++)
        {
            all[j].Join();
        }
    }

    private static void Nothing()
    {
    }

    private static void YieldTimes(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Greenlet.Yield();
        }
    }

    private static void Ask(GreenQueue<int> there, GreenQueue<int> back, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            there.Put(i);
            back.Get();
        }
    }

    private static void Serve(GreenQueue<int> there, GreenQueue<int> back, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            var item = there.Get();
            back.Put(item);
        }
    }

    /// <summary>
    /// gevent_micro.py's event_wakeup: <c>w = spawn(e.wait); sleep(0); e.set(); w.join()</c>. The event and the waiter
    /// are fields, not locals: a Release build keeps locals like these on the evaluation stack across the
    /// <c>Yield</c>, which the weaver did not link when this bench was written (every round pinned). The frame
    /// rewriter spills such values now; the fields stay so that the figures compare with the runs in docs/benchmarks.md.
    /// </summary>
    private sealed class WakeUpRounds(int count)
    {
        private GreenEvent _wake = new();
        private Greenlet? _waiter;

        public void Run()
        {
            for (var i = 0; i < count; i++)
            {
                _wake = new GreenEvent();
                _waiter = Greenlet.Spawn(Wait);
                Greenlet.Yield();
                _wake.Set();
                _waiter.Join();
            }
        }

        private void Wait() => _wake.Wait();
    }
}
