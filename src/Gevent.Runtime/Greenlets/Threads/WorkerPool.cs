namespace Gevent.Greenlets.Threads;

/// <summary>
/// Idle greenlet threads, shared by every hub of the process and kept apart by the CPU each is pinned to.
/// Starting a greenlet takes one (LIFO, for a warm stack), from its hub's CPU first: a thread pinned elsewhere must
/// be moved there (<see cref="CarrierThread.EnsurePinned"/>), a system call that migrates the thread. With one list,
/// two hubs took each other's threads so often that keeping them apart cut the <c>aspnet</c> bench's blocking
/// handlers' CPU per request by 14–26 % in most runs (docs/benchmarks.md). Only when none is idle on any CPU is a
/// thread created: creating one costs ~130 µs. An idle thread exits after <see cref="IdleTimeout"/>. The pool needs no
/// size cap: a thread is only created when none is idle, so threads never outnumber the peak of live greenlets, which
/// the limit bounds.
/// </summary>
internal static class WorkerPool
{
    /// <summary>How long a thread stays idle before it exits (the .NET thread pool waits about as long).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(20);

    private static readonly Lock s_lock = new();

    // Keyed by the CPU the idle threads are pinned to (-1: not pinned). Only a worker itself changes its pin, and
    // only while it is out of the pool, so it comes back to the list it is filed under and leaves from it.
    private static readonly Dictionary<int, List<WorkerThread>> s_idleByCpu = [];

    /// <summary>
    /// An idle thread for a greenlet of <paramref name="hub"/>, pinned to its CPU if one is idle, else any idle
    /// thread, else a new one. A thread still handing its finished greenlet's hub on to the next greenlet is that
    /// hub's alone: the hand-off may run the hub's loop, even wait in it, so another hub's greenlet given that thread
    /// would not start until the first hub had work again.
    /// </summary>
    public static WorkerThread Take(Hub hub)
    {
        lock (s_lock)
        {
            if (s_idleByCpu.TryGetValue(hub.Cpu, out var sameCpu) && TakeFrom(sameCpu, hub) is { } pinnedHere)
            {
                return pinnedHere;
            }

            foreach (var (cpu, idle) in s_idleByCpu)
            {
                if (cpu != hub.Cpu && TakeFrom(idle, hub) is { } pinnedElsewhere)
                {
                    return pinnedElsewhere;
                }
            }
        }

        return new WorkerThread();
    }

    /// <summary>Parks <paramref name="worker"/> for reuse; called by the worker's own thread.</summary>
    public static void Return(WorkerThread worker)
    {
        lock (s_lock)
        {
            if (!s_idleByCpu.TryGetValue(worker.PinnedCpu, out var idle))
            {
                idle = [];
                s_idleByCpu.Add(worker.PinnedCpu, idle);
            }

            idle.Add(worker);
        }
    }

    /// <summary>
    /// Takes <paramref name="worker"/> back out of the pool, called by the worker's own thread: one whose idle wait
    /// timed out and will exit, or one that carries on for its hub. False if a hub took it meanwhile, in which case
    /// its assignment is on the way.
    /// </summary>
    public static bool TryWithdraw(WorkerThread worker)
    {
        lock (s_lock)
        {
            return s_idleByCpu.TryGetValue(worker.PinnedCpu, out var idle) && idle.Remove(worker);
        }
    }

    private static WorkerThread? TakeFrom(List<WorkerThread> idle, Hub hub)
    {
        for (var i = idle.Count - 1; i >= 0; i--)
        {
            var worker = idle[i];
            var handingOff = worker.HandingOff;
            if (handingOff is null || handingOff == hub)
            {
                idle.RemoveAt(i);
                return worker;
            }
        }

        return null;
    }
}
