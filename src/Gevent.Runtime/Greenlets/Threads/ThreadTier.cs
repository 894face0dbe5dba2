namespace Gevent.Greenlets.Threads;

/// <summary>
/// Tier 1: every greenlet runs on an OS thread of its own — a hub's main greenlet on the thread that
/// created the hub, the others on a <see cref="WorkerThread"/> taken from <see cref="WorkerPool"/> at
/// their first run — and the baton passes by unparking the next greenlet's thread and parking the
/// current one (<see cref="ThreadParker"/>). Every suspension is thus what a stackless tier calls a
/// pin: the greenlet keeps its thread, blocked, while the hub goes on on another thread.
/// </summary>
internal sealed class ThreadTier : ExecutionTier
{
    /// <summary>The one instance: tier 1 keeps no state per hub (its workers are shared by every hub).</summary>
    public static readonly ThreadTier Instance = new();

    private ThreadTier()
    {
    }

    public override void Adopt(Greenlet main)
    {
        // Each parked greenlet is a futex waiter: size the kernel's futex hash before there are many.
        FutexHash.EnsureSized(GeventConfig.Current.MaxGreenlets);
        var carrier = new CarrierThread();
        carrier.EnsurePinned(main.Hub.Cpu);
        main.Carrier = carrier;
        SetCurrent(main);
    }

    public override bool TryStart(Greenlet greenlet)
    {
        WorkerThread worker;
        try
        {
            worker = WorkerPool.Take(greenlet.Hub);
        }
        catch (Exception e) when (e is OutOfMemoryException or ThreadStartException)
        {
            greenlet.FailToStart(new InvalidOperationException($"Could not create a thread for greenlet '{greenlet.Name}': {e.Message}", e));
            return false;
        }

        worker.Assign(greenlet);
        return true;
    }

    public override void Switch(Greenlet self, Greenlet next)
    {
        next.Carrier!.Parker.Unpark();
        self.Carrier!.Parker.Park();
    }

    public override void HandOff(Greenlet next) => next.Carrier!.Parker.Unpark();
}
