namespace Gevent.Greenlets.Threads;

/// <summary>
/// Idle greenlet threads, shared by every hub of the process. Starting a greenlet takes one (LIFO,
/// for a warm stack) and only creates a thread when none is idle: creating one costs ~130 µs. An idle
/// thread exits after <see cref="IdleTimeout"/>. The pool needs no size cap: a thread is only created
/// when none is idle, so threads never outnumber the peak of live greenlets, which the limit bounds.
/// </summary>
internal static class WorkerPool
{
    /// <summary>How long a thread stays idle before it exits (the .NET thread pool waits about as long).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(20);

    private static readonly List<WorkerThread> s_idle = [];

    /// <summary>
    /// An idle thread for a greenlet of <paramref name="hub"/>, or a new one. A thread still handing its finished
    /// greenlet's hub on to the next greenlet is that hub's alone: the hand-off may run the hub's loop, even wait in
    /// it, so another hub's greenlet given that thread would not start until the first hub had work again.
    /// </summary>
    public static WorkerThread Take(Hub hub)
    {
        lock (s_idle)
        {
            for (var i = s_idle.Count - 1; i >= 0; i--)
            {
                var worker = s_idle[i];
                var handingOff = worker.HandingOff;
                if (handingOff is null || handingOff == hub)
                {
                    s_idle.RemoveAt(i);
                    return worker;
                }
            }
        }

        return new WorkerThread();
    }

    /// <summary>Parks <paramref name="worker"/> for reuse.</summary>
    public static void Return(WorkerThread worker)
    {
        lock (s_idle)
        {
            s_idle.Add(worker);
        }
    }

    /// <summary>
    /// Takes <paramref name="worker"/> back out of the pool: one whose idle wait timed out and will exit, or one
    /// that carries on for its hub. False if a hub took it meanwhile, in which case its assignment is on the way.
    /// </summary>
    public static bool TryWithdraw(WorkerThread worker)
    {
        lock (s_idle)
        {
            return s_idle.Remove(worker);
        }
    }
}
