using Gevent.Greenlets.Threads;

namespace Gevent.AspNetCore.Scheduling;

/// <summary>The hubs a server's requests run on, handed out in turn.</summary>
internal sealed class RequestHubs : IDisposable
{
    private readonly RequestHub[] _hubs;
    private int _next = -1;

    public RequestHubs(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _hubs = new RequestHub[count];
        // Reserved together, so that hubs made elsewhere meanwhile do not put two of these on one CPU.
        var cpus = CpuAffinity.ReserveHubCpus(count);
        for (var i = 0; i < count; i++)
        {
            _hubs[i] = new RequestHub($"gevent aspnetcore hub {i}", i < cpus.Length ? cpus[i] : null);
        }
    }

    public IReadOnlyList<RequestHub> All => _hubs;

    public RequestHub Next() => _hubs[(int)((uint)Interlocked.Increment(ref _next) % (uint)_hubs.Length)];

    public void Dispose()
    {
        foreach (var hub in _hubs)
        {
            hub.Dispose();
        }
    }
}
