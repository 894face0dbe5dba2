namespace Gevent.Bench;

/// <summary>
/// The gevent_micro.py workloads written once for any model where a worker blocks in place (greenlets,
/// OS threads). A family supplies how to start, join, sleep and hand over; the workload definitions
/// stay identical across families, so their figures compare.
/// </summary>
/// <typeparam name="THandle">What <see cref="Start"/> returns and <see cref="JoinAll"/> waits for.</typeparam>
internal abstract class BlockingWorkloads<THandle>
{
    private static readonly TimeSpan s_oneMillisecond = TimeSpan.FromMilliseconds(1);

    protected abstract string Family { get; }

    protected virtual WorkloadSizes Sizes => WorkloadSizes.Gevent;

    /// <param name="manyAtOnce">
    /// False leaves out the two workloads that hold 10,000 workers at once (bytes per parked worker, spawn + sleep +
    /// join): with a thread each, they load a shared machine for minutes.
    /// </param>
    public FamilyResults Run(bool manyAtOnce = true)
    {
        var results = new FamilyResults(Family);

        if (manyAtOnce)
        {
            // Memory first: later workloads leave pooled threads and a grown heap that would hide the cost.
            // A small round first, so JIT and first-use allocations fall outside the measured window.
            ParkMany(16)();
            Record(results, MicroWorkload.BytesPerParked, MemoryProbe.BytesPerItem(Sizes.Parked, ParkMany));
        }

        Record(results, MicroWorkload.SpawnJoin, Measure.BestOf(Sizes.SpawnJoin, n => SpawnAndJoin(n, static () => { })));
        if (manyAtOnce)
        {
            Record(results, MicroWorkload.SpawnSleepJoin, Measure.BestOf(Sizes.SpawnSleepJoin, n => SpawnAndJoin(n, () => Sleep(s_oneMillisecond)), Sizes.HeavyTrials));
        }

        Record(results, MicroWorkload.Switch, Measure.BestOf(Sizes.Switch, RunSwitches));
        Record(results, MicroWorkload.QueuePingPong, QueueFactory is { } queue ? Measure.BestOf(Sizes.PingPong, n => PingPong(n, queue)) : null);
        Record(results, MicroWorkload.EventWakeup, SignalFactory is { } signal ? Measure.BestOf(Sizes.EventWakeup, n => EventWakeup(n, signal)) : null);
        return results;
    }

    /// <summary>Starts a worker running <paramref name="body"/>.</summary>
    protected abstract THandle Start(Action body);

    protected abstract void JoinAll(IReadOnlyList<THandle> handles);

    /// <summary>Waits for one worker; gevent_micro.py's <c>g.join()</c>, which a family may do more cheaply than <see cref="JoinAll"/>.</summary>
    protected virtual void Join(THandle handle) => JoinAll([handle]);

    /// <summary>Blocks the caller for <paramref name="duration"/>.</summary>
    protected abstract void Sleep(TimeSpan duration);

    /// <summary>Gives workers that are ready a chance to run (gevent's <c>sleep(0)</c>).</summary>
    protected abstract void LetOthersRun();

    /// <summary>Runs <paramref name="switches"/> handovers between two workers.</summary>
    protected abstract void RunSwitches(int switches);

    /// <summary>Makes the queues queue ping-pong runs through; null when the family has none (the row is then null).</summary>
    protected abstract Func<IBlockingQueue<int>>? QueueFactory { get; }

    /// <summary>Makes the events event wake-up runs through; null when the family has none (the row is then null).</summary>
    protected abstract Func<IWakeSignal>? SignalFactory { get; }

    protected abstract Parking<THandle> CreateParking();

    /// <summary>What stands in for <paramref name="workload"/> in this family, when the table should say so.</summary>
    protected virtual string? NoteFor(MicroWorkload workload) => null;

    /// <summary>Runs <paramref name="first"/> and <paramref name="second"/> on two workers and waits for both.</summary>
    protected void RunPair(Action first, Action second) => JoinAll([Start(first), Start(second)]);

    // gevent_micro.py spawn_join / spawn_sleep_join: start all, then join all.
    private void SpawnAndJoin(int count, Action body)
    {
        var handles = new List<THandle>(count);
        for (var i = 0; i < count; i++)
        {
            handles.Add(Start(body));
        }

        JoinAll(handles);
    }

    /// <summary>gevent_micro.py queue_pingpong: one message per op, each side alternately puts and gets.</summary>
    protected void PingPong(int messages, Func<IBlockingQueue<int>> create)
    {
        var there = create();
        var back = create();
        RunPair(
            () =>
            {
                for (var i = 0; i < messages / 2; i++)
                {
                    there.Put(i);
                    back.Get();
                }
            },
            () =>
            {
                for (var i = 0; i < messages / 2; i++)
                {
                    there.Get();
                    back.Put(i);
                }
            });
    }

    // gevent_micro.py event_wakeup: a fresh event and waiter per op; the waiter parks before the set.
    private void EventWakeup(int count, Func<IWakeSignal> create)
    {
        for (var i = 0; i < count; i++)
        {
            var signal = create();
            var waiter = Start(signal.Wait);
            LetOthersRun();
            signal.Set();
            Join(waiter);
        }
    }

    private void Record(FamilyResults results, MicroWorkload workload, double? value) =>
        results.Set(workload, value, NoteFor(workload));

    private Action ParkMany(int count)
    {
        var parking = CreateParking();
        var handles = new List<THandle>(count);
        for (var i = 0; i < count; i++)
        {
            handles.Add(Start(parking.Body));
        }

        Sleep(MemoryProbe.Settle);
        return () =>
        {
            parking.Release(handles);
            JoinAll(handles);
        };
    }
}
