namespace Gevent.AspNetCore.Scheduling;

/// <summary>
/// The hubs a server's requests run on, a <see cref="HubGroup"/>, handed out in turn. Disposing them kills the
/// greenlets still alive (a request that outlived the server's drain, work a request left behind) and ends the hubs'
/// threads once those have unwound.
/// </summary>
internal sealed class RequestHubs : IDisposable
{
    private readonly HubGroup _group;
    private readonly RequestHub[] _hubs;

    public RequestHubs(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _group = HubGroup.Start(count);
        _hubs = [.. _group.Hubs.Select(hub => new RequestHub(hub))];
    }

    public IReadOnlyList<RequestHub> All => _hubs;

    public RequestHub Next() => _hubs[_group.NextIndex()];

    public void Dispose()
    {
        foreach (var hub in _hubs)
        {
            hub.Stop();
        }

        _group.Dispose();
    }
}
