using Gevent.Greenlets.Threads;

namespace Gevent.Greenlets.Stackless;

/// <summary>
/// Tier 2 with tier 1 beside it: a greenlet whose body is resumable (<see cref="Greenlet.Frames"/>) runs
/// stackless on a carrier — a <see cref="WorkerThread"/> that owns no greenlet and runs whichever stackless
/// greenlet holds the baton — and every other greenlet runs on a thread of its own as under
/// <see cref="ThreadTier"/>. A switch between two stackless greenlets is a return to the carrier's loop and
/// a call; a switch involving a thread-backed greenlet unparks its thread, or a carrier's.
/// </summary>
/// <remarks>
/// A greenlet has a thread to unpark exactly when its <see cref="Greenlet.Carrier"/> is set: always for a
/// thread-backed one once started, and for a stackless one only while it runs or pins. One without needs a
/// carrier: the thread holding the baton becomes its carrier if it is free (a carrier whose greenlet just
/// suspended or ended), else a worker is taken from <see cref="WorkerPool"/> — Loom's carrier compensation
/// when the baton leaves a pinned greenlet.
/// </remarks>
internal sealed class StacklessTier : ExecutionTier
{
    /// <summary>The one instance: like tier 1, this tier keeps no state per hub.</summary>
    public static readonly StacklessTier Instance = new();

    private static readonly ThreadTier s_threads = ThreadTier.Instance;

    private StacklessTier()
    {
    }

    public override void Adopt(Greenlet main) => s_threads.Adopt(main);

    // A stackless greenlet needs no thread to start: the carrier that is handed the baton runs it.
    public override bool TryStart(Greenlet greenlet) => greenlet.Frames is not null || s_threads.TryStart(greenlet);

    public override void Switch(Greenlet self, Greenlet next)
    {
        if (self.Frames is not { } frames)
        {
            SwitchFromThread(self, next);
            return;
        }

        if (frames.CanSuspend)
        {
            // Block returns at once and so does every frame above it; the carrier's loop then runs next.
            frames.BeginSuspend();
            self.Hub.Pins.RecordSuspension();
            ((WorkerThread)self.Carrier!).CarryNext = next;
            return;
        }

        // The frames cannot be saved: self blocks its carrier thread as a tier-1 greenlet does, and the hub
        // goes on on another thread until the baton comes back.
        var reason = frames.PinReason;
        self.Hub.Pins.Record(self, reason);
        self.PinnedFor = reason;
        SwitchFromThread(self, next);
        self.PinnedFor = null;
    }

    public override void HandOff(Greenlet next)
    {
        if (next.Carrier is not null)
        {
            s_threads.HandOff(next);
        }
        else if (Current?.Carrier is WorkerThread worker)
        {
            // The finished greenlet's worker is free: it carries next itself rather than wake another thread.
            worker.CarryNext = next;
        }
        else
        {
            Compensate(next);
        }
    }

    /// <summary>Passes the baton from <paramref name="self"/>, which keeps its thread, and parks that thread until it comes back.</summary>
    private static void SwitchFromThread(Greenlet self, Greenlet next)
    {
        if (next.Carrier is not null)
        {
            s_threads.Switch(self, next);
            return;
        }

        Compensate(next);
        self.Carrier!.Parker.Park();
    }

    /// <summary>Hands the baton to <paramref name="next"/>, which has no thread, on a worker taken for it.</summary>
    private static void Compensate(Greenlet next)
    {
        var worker = WorkerPool.Take(next.Hub);
        worker.Assign(next);
        worker.Parker.Unpark();
    }
}
