namespace Gevent.Greenlets.Threads;

/// <summary>
/// An OS thread that carries greenlets: a main thread that became a hub's main greenlet, or a
/// pooled <see cref="WorkerThread"/>. The hub switches between greenlets by unparking the next
/// carrier and parking the current one.
/// </summary>
internal class CarrierThread : IDisposable
{
    private int _pinnedCpu = -1;

    public ThreadParker Parker { get; } = ThreadParker.Create();

    /// <summary>The CPU this thread is pinned to, or -1; only the thread itself changes it.</summary>
    public int PinnedCpu => _pinnedCpu;

    /// <summary>The OS thread; a main greenlet's is the thread that created its hub.</summary>
    public Thread Thread { get; protected set; } = Thread.CurrentThread;

    /// <summary>
    /// Pins the calling thread (which must be this carrier's) to <paramref name="cpu"/>, or unpins it
    /// for -1, unless it already is so.
    /// </summary>
    public void EnsurePinned(int cpu)
    {
        if (cpu == _pinnedCpu)
        {
            return;
        }

        if (cpu < 0)
        {
            CpuAffinity.UnpinCurrentThread();
            _pinnedCpu = -1;
        }
        else if (CpuAffinity.PinCurrentThread(cpu))
        {
            _pinnedCpu = cpu;
        }
    }

    public void Dispose() => Parker.Dispose();
}
