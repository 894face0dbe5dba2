namespace Gevent.Bench;

/// <summary>
/// The micro workloads on Gevent for .NET greenlets. Must run on a hub thread (see <see cref="HubThread"/>);
/// the caller is the main greenlet, as gevent_micro.py's module code is.
/// </summary>
internal sealed class GreenletWorkloads : BlockingWorkloads<Greenlet>
{
    protected override string Family => "Gevent for .NET";

    // No greenlet queue on this branch yet: a small IBlockingQueue<int> adapter over GreenQueue<int>
    // returned here is all it takes to fill queue_pingpong_us.
    protected override Func<IBlockingQueue<int>>? QueueFactory => null;

    // No greenlet event on this branch yet, and no public primitive that parks a greenlet until another
    // sets it (Join parks until a greenlet *ends*, which adds a whole greenlet's life to every op). So the
    // table shows a stand-in on the internal wake path, and --json says null; an IWakeSignal adapter over
    // GreenEvent returned here (and IsStandIn false) fills event_wakeup_us.
    protected override Func<IWakeSignal>? SignalFactory => static () => new HubWakeSignal();

    protected override Greenlet Start(Action body) => Greenlet.Spawn(body);

    protected override void JoinAll(IReadOnlyList<Greenlet> handles) => Greenlet.JoinAll(handles);

    protected override void Join(Greenlet handle) => handle.Join();

    protected override void Sleep(TimeSpan duration) => Greenlet.Sleep(duration);

    protected override void LetOthersRun() => Greenlet.Yield();

    // gevent_micro.py sleep0_switch: two greenlets yielding to each other; one op = one switch.
    protected override void RunSwitches(int switches) => RunPair(YieldTimes(switches / 2), YieldTimes(switches / 2));

    // As gevent_micro.py parks its greenlets: asleep on a long timer, then killed.
    protected override Parking<Greenlet> CreateParking() =>
        new(static () => Greenlet.Sleep(TimeSpan.FromSeconds(30)), static handles => Greenlet.KillAll(handles));

    protected override string? NoteFor(MicroWorkload workload) =>
        workload == MicroWorkload.QueuePingPong ? "no GreenQueue on this branch yet"
        : workload == MicroWorkload.EventWakeup ? "stand-in: no GreenEvent yet, a bench-only signal on the hub's internal wake path (null in --json)"
        : null;

    protected override bool IsStandIn(MicroWorkload workload) => workload == MicroWorkload.EventWakeup;

    private static Action YieldTimes(int count) => () =>
    {
        for (var i = 0; i < count; i++)
        {
            Greenlet.Yield();
        }
    };
}
