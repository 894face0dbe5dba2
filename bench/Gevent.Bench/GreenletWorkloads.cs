namespace Gevent.Bench;

/// <summary>
/// The micro workloads on Gevent for .NET greenlets. Must run on a hub thread (see <see cref="HubThread"/>);
/// the caller is the main greenlet, as gevent_micro.py's module code is.
/// </summary>
internal sealed class GreenletWorkloads : BlockingWorkloads<Greenlet>
{
    protected override string Family => "Gevent for .NET";

    protected override Func<IBlockingQueue<int>>? QueueFactory => static () => new QueueAdapter();

    protected override Func<IWakeSignal>? SignalFactory => static () => new EventAdapter();

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



    private static Action YieldTimes(int count) => () =>
    {
        for (var i = 0; i < count; i++)
        {
            Greenlet.Yield();
        }
    };

    private sealed class QueueAdapter : IBlockingQueue<int>
    {
        private readonly GreenQueue<int> _queue = new();

        public void Put(int item) => _queue.Put(item);

        public int Get() => _queue.Get();
    }

    private sealed class EventAdapter : IWakeSignal
    {
        private readonly GreenEvent _event = new();

        public void Wait() => _event.Wait();

        public void Set() => _event.Set();
    }
}
