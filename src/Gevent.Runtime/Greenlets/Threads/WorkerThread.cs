namespace Gevent.Greenlets.Threads;

/// <summary>
/// A pooled thread with a small stack that runs one greenlet at a time, then returns to
/// <see cref="WorkerPool"/> for the next. A thread-backed greenlet keeps it from start to finish; for
/// stackless greenlets it is a carrier, running each one that the baton passes to while it holds it.
/// </summary>
internal sealed class WorkerThread : CarrierThread
{
    /// <summary>Stack reserved per greenlet thread; committed lazily, so a parked greenlet costs far less.</summary>
    public const int StackSize = 256 * 1024;

    private Greenlet? _assigned;
    private volatile Hub? _handingOff;

    public WorkerThread()
    {
        Thread = new Thread(Run, StackSize) { IsBackground = true, Name = "gevent greenlet" };
        Thread.Start();
    }

    /// <summary>The hub this idle worker is still handing on after its greenlet finished; null once it is free for any hub.</summary>
    public Hub? HandingOff => _handingOff;

    /// <summary>
    /// A stackless greenlet this carrier is to run next, set by the tier as the greenlet it runs suspends or
    /// ends and the baton goes to one with no thread.
    /// </summary>
    public Greenlet? CarryNext { get; set; }

    /// <summary>Gives this idle worker <paramref name="greenlet"/>; it runs once the hub unparks it.</summary>
    public void Assign(Greenlet greenlet)
    {
        _assigned = greenlet;
        greenlet.Carrier = this;
    }

    private void Run()
    {
        // The first assignment comes with the thread; later ones after an idle wait that may time out.
        Parker.Park();
        while (true)
        {
            var greenlet = _assigned!;
            _assigned = null;
            Carry(greenlet);
            if (!Parker.Park(WorkerPool.IdleTimeout))
            {
                if (WorkerPool.TryWithdraw(this))
                {
                    Dispose();
                    return;
                }

                Parker.Park();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="greenlet"/>, then each greenlet with no thread that the baton passes to from here,
    /// until the baton goes to a thread-backed greenlet or the hub has nothing left; then this worker is idle.
    /// </summary>
    private void Carry(Greenlet greenlet)
    {
        while (true)
        {
            var hub = greenlet.Hub;
            EnsurePinned(hub.Cpu);
            ExecutionTier.SetCurrent(greenlet);
            if (greenlet.Frames is not null && !greenlet.RunStackless())
            {
                // Suspended: the tier has chosen the next greenlet.
                greenlet.Carrier = null;
                var next = CarryNext!;
                CarryNext = null;
                if (next.Carrier is not { } nextThread)
                {
                    next.Carrier = this;
                    greenlet = next;
                    continue;
                }

                ExecutionTier.SetCurrent(null);
                WorkerPool.Return(this);
                nextThread.Parker.Unpark();
                return;
            }

            if (greenlet.Frames is null)
            {
                greenlet.Execute();
            }

            // Back in the pool before the baton moves on, so the very next start can reuse this thread; until the
            // hand-off is done, only for this hub (see WorkerPool.Take), which is also why taking it back here succeeds.
            _handingOff = hub;
            WorkerPool.Return(this);
            hub.HandOffFromFinished();
            if (CarryNext is { } carried && WorkerPool.TryWithdraw(this))
            {
                CarryNext = null;
                _handingOff = null;
                carried.Carrier = this;
                greenlet = carried;
                continue;
            }

            _handingOff = null;
            ExecutionTier.SetCurrent(null);
            return;
        }
    }
}
