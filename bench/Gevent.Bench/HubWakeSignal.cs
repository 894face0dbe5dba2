namespace Gevent.Bench;

/// <summary>
/// A stand-in one-shot event for greenlets, built on the hub's internal wake path (a <see cref="WakeToken"/>
/// woken through <see cref="Hub.Wake"/>) — the path a greenlet event is built on. It is not the product's
/// GreenEvent (not on this branch yet): it only lets the table show what an event wake-up costs on this
/// runtime. Its figure is kept out of <c>--json</c>. Replace with an adapter over GreenEvent when it lands.
/// </summary>
internal sealed class HubWakeSignal : IWakeSignal
{
    private WakeToken? _waiter;
    private bool _set;

    public void Wait()
    {
        if (_set)
        {
            return;
        }

        var current = Greenlet.Current;
        _waiter = new WakeToken(current);
        try
        {
            current.Hub.Block("HubWakeSignal.Wait()");
        }
        finally
        {
            _waiter = null;
        }
    }

    public void Set()
    {
        _set = true;
        if (_waiter is { } waiter)
        {
            waiter.Greenlet.Hub.Wake(waiter);
        }
    }
}
