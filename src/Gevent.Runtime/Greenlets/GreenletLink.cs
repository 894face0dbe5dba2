namespace Gevent;

/// <summary>
/// One callback waiting for a greenlet to end. A user link runs in a greenlet of its own (so it may
/// block), as in gevent; a raw link (the runtime's own: joins, waits) runs inline in the loop.
/// </summary>
internal sealed class GreenletLink(Delegate callback, LinkKind kind, object? state, bool raw)
{
    public Delegate Callback { get; } = callback;

    public LinkKind Kind { get; } = kind;

    public object? State { get; } = state;

    public bool Raw { get; } = raw;

    public bool Matches(Greenlet greenlet) => Kind switch
    {
        LinkKind.Value => greenlet.Successful,
        LinkKind.Exception => !greenlet.Successful,
        _ => true,
    };

    public void Fire(Greenlet greenlet)
    {
        if (Raw)
        {
            ((Action<Greenlet, object?>)Callback)(greenlet, State);
        }
        else
        {
            var callback = (Action<Greenlet>)Callback;
            Greenlet.Spawn(() => callback(greenlet));
        }
    }
}
