namespace Gevent.Greenlets.Threads;

/// <summary>
/// Idle greenlet threads, shared by every hub of the process. Starting a greenlet takes one (LIFO,
/// for a warm stack) and only creates a thread when none is idle; creating one costs ~130 µs.
/// </summary>
internal static class WorkerPool
{
    /// <summary>Idle threads kept beyond this many exit instead of parking.</summary>
    public const int MaxIdle = 1024;

    private static readonly Stack<WorkerThread> s_idle = new();

    public static int IdleCount
    {
        get
        {
            lock (s_idle)
            {
                return s_idle.Count;
            }
        }
    }

    public static WorkerThread Take()
    {
        lock (s_idle)
        {
            if (s_idle.Count > 0)
            {
                return s_idle.Pop();
            }
        }

        return new WorkerThread();
    }

    /// <summary>Parks <paramref name="worker"/> for reuse; false when enough are idle and it should exit.</summary>
    public static bool Return(WorkerThread worker)
    {
        lock (s_idle)
        {
            if (s_idle.Count >= MaxIdle)
            {
                return false;
            }

            s_idle.Push(worker);
            return true;
        }
    }
}
