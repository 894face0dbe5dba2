using System.Collections.Concurrent;

namespace Gevent.Bench;

/// <summary>
/// The micro workloads on plain .NET threads: a new <see cref="Thread"/> per spawn, the BCL's blocking
/// primitives for hand-overs. The baseline a greenlet replaces.
/// </summary>
internal sealed class ThreadWorkloads : BlockingWorkloads<Thread>
{
    // Thread start+join costs ~130 µs and a cross-CPU hand-over 15-40 µs here, so gevent's counts would
    // take minutes; these keep the family to ~30 s. spawn_sleep1ms_join stays at 10,000 as the issue asks.
    protected override WorkloadSizes Sizes { get; } = new(
        SpawnJoin: 2_000, SpawnSleepJoin: 10_000, Switch: 20_000, PingPong: 20_000, EventWakeup: 2_000, Parked: 10_000, HeavyTrials: 3);

    protected override string Family => "threads";

    protected override Func<IBlockingQueue<int>>? QueueFactory => static () => new CollectionQueue();

    protected override Func<IWakeSignal>? SignalFactory => static () => new SlimEventSignal();

    protected override Thread Start(Action body)
    {
        var thread = new Thread(() => body());
        thread.Start();
        return thread;
    }

    protected override void JoinAll(IReadOnlyList<Thread> handles)
    {
        foreach (var thread in handles)
        {
            thread.Join();
        }
    }

    protected override void Sleep(TimeSpan duration) => Thread.Sleep(duration);

    protected override void LetOthersRun() => Thread.Yield();

    // Threads have no "switch to the other one"; the nearest is a hand-over: two threads passing a
    // SemaphoreSlim baton back and forth (a queue of tokens), one op per hand-over.
    protected override void RunSwitches(int switches) => PingPong(switches, static () => new SemaphoreQueue());

    protected override Parking<Thread> CreateParking()
    {
        var gate = new ManualResetEventSlim(false);
        return new(gate.Wait, _ => gate.Set());
    }

    protected override string? NoteFor(MicroWorkload workload) =>
        workload == MicroWorkload.Switch ? "SemaphoreSlim hand-over"
        : workload == MicroWorkload.QueuePingPong ? "BlockingCollection"
        : workload == MicroWorkload.EventWakeup ? "new Thread + ManualResetEventSlim"
        : workload == MicroWorkload.BytesPerParked ? "per blocked thread"
        : null;

    private sealed class CollectionQueue : IBlockingQueue<int>
    {
        private readonly BlockingCollection<int> _items = [];

        public void Put(int item) => _items.Add(item);

        public int Get() => _items.Take();
    }

    private sealed class SemaphoreQueue : IBlockingQueue<int>
    {
        private readonly SemaphoreSlim _tokens = new(0);

        public void Put(int item) => _tokens.Release();

        public int Get()
        {
            _tokens.Wait();
            return 0;
        }
    }

    private sealed class SlimEventSignal : IWakeSignal
    {
        private readonly ManualResetEventSlim _event = new(false);

        public void Wait() => _event.Wait();

        public void Set() => _event.Set();
    }
}
