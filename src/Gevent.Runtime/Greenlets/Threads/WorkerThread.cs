namespace Gevent.Greenlets.Threads;

/// <summary>
/// A pooled thread with a small stack that runs one greenlet at a time, start to finish, then
/// returns to <see cref="WorkerPool"/> for the next.
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
            var hub = greenlet.Hub;
            EnsurePinned(hub.Cpu);
            ExecutionTier.SetCurrent(greenlet);
            greenlet.Execute();
            _assigned = null;

            // Back in the pool before the baton moves on, so the very next start can reuse this thread; until the
            // hand-off is done, only for this hub (see WorkerPool.Take).
            _handingOff = hub;
            WorkerPool.Return(this);
            hub.HandOffFromFinished();
            _handingOff = null;
            ExecutionTier.SetCurrent(null);
            if (!Parker.Park(WorkerPool.IdleTimeout))
            {
                if (WorkerPool.TryRetire(this))
                {
                    Dispose();
                    return;
                }

                Parker.Park();
            }
        }
    }
}
