using Gevent.Greenlets.Threads;

namespace Gevent;

/// <summary>
/// Several hubs in one process, each on a thread of its own (a <see cref="GreenletHost"/>) with its own loop,
/// CPU (<see cref="GeventConfig.HubCpuAffinity"/>) and <see cref="Hub.ThreadPool"/>: a hub is one CPU's worth of work.
/// Work reaches a hub through <see cref="SpawnAsync{T}(int, Func{T})"/>; a greenlet joins the result without blocking
/// its own hub through <see cref="GreenTask.GetResult{T}(Task{T})"/> (its exception re-thrown as is), a plain thread through the task.
/// </summary>
/// <example>
/// <code>
/// using var hubs = HubGroup.Start();   // GEVENT_HUBS hubs; GEVENT_HUBS=auto is one per CPU
/// var sums = Enumerable.Range(0, hubs.Count).Select(i => hubs.SpawnAsync(i, () => Sum(i))).ToArray();
/// Task.WaitAll(sums);
/// </code>
/// </example>
public sealed class HubGroup : IDisposable
{
    private readonly GreenletHost[] _hosts;
    private int _next = -1;

    private HubGroup(GreenletHost[] hosts)
    {
        _hosts = hosts;
        Hubs = [.. hosts.Select(host => host.Hub)];
    }

    /// <summary>The group's hubs, in the order they started.</summary>
    public IReadOnlyList<Hub> Hubs { get; }

    /// <summary>How many hubs the group runs.</summary>
    public int Count => _hosts.Length;

    /// <summary>
    /// Starts <paramref name="count"/> hubs (by default <see cref="GeventConfig.Hubs"/>, from <c>GEVENT_HUBS</c>), each on
    /// a thread of its own; returns once they all run.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    /// <exception cref="GeventConfigurationException">A setting is invalid (for example <c>GEVENT_HUBS</c>).</exception>
    public static HubGroup Start(int? count = null)
    {
        var hubCount = count ?? GeventConfig.Current.Hubs;
        ArgumentOutOfRangeException.ThrowIfLessThan(hubCount, 1, nameof(count));
        var hosts = new List<GreenletHost>(hubCount);
        var cpus = CpuAffinity.ReserveHubCpus(hubCount);
        try
        {
            for (var i = 0; i < hubCount; i++)
            {
                hosts.Add(new GreenletHost($"gevent hub {i}", i < cpus.Length ? cpus[i] : null));
            }
        }
        catch
        {
            StopAll(hosts);
            throw;
        }

        return new HubGroup([.. hosts]);
    }

    /// <summary>The next hub in turn (round-robin), for spreading work; safe from any thread.</summary>
    public int NextIndex() => (int)((uint)Interlocked.Increment(ref _next) % (uint)_hosts.Length);

    /// <summary>
    /// Runs <paramref name="func"/> in a new greenlet of hub <paramref name="hubIndex"/>, from any thread or greenlet of
    /// any hub; the task completes with its value or fails with its exception.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hubIndex"/> is not the index of one of <see cref="Hubs"/>.</exception>
    /// <exception cref="ObjectDisposedException">The group was disposed.</exception>
    public Task<T> SpawnAsync<T>(int hubIndex, Func<T> func) => Host(hubIndex).SpawnAsync(func);

    /// <summary>Runs <paramref name="action"/> in a new greenlet of hub <paramref name="hubIndex"/>; the task completes when it ends.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hubIndex"/> is not the index of one of <see cref="Hubs"/>.</exception>
    /// <exception cref="ObjectDisposedException">The group was disposed.</exception>
    public Task SpawnAsync(int hubIndex, Action action) => Host(hubIndex).SpawnAsync(action);

    /// <summary>
    /// Every hub's <see cref="Hub.FormatRunInfo"/>, in order, each taken on its own hub (so from any thread, or a
    /// greenlet of any hub, which alone waits): the live greenlets of the whole group, headed by their hub.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The group was disposed.</exception>
    public string FormatRunInfo() =>
        string.Concat(GreenTask.GetResult(Task.WhenAll(Hubs.Select((hub, i) => SpawnAsync(i, hub.FormatRunInfo)))));

    /// <summary>
    /// Stops every hub: kills its greenlets at their blocking points (their <c>finally</c> blocks run), disposes it and
    /// ends its thread. From a greenlet of another hub only that greenlet waits (its hub keeps serving); not callable
    /// from a greenlet of the group's hubs, which would wait for itself. A second call does nothing. Work posted from other
    /// threads meanwhile runs exactly once or is refused with <see cref="ObjectDisposedException"/> (see <see cref="Hub.Dispose"/>):
    /// a greenlet spawned for it before its hub's disposal began still gets its first run.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from a greenlet of one of the group's hubs.</exception>
    public void Dispose()
    {
        if (Hub.CurrentGreenletOrNull?.Hub is { } current && Hubs.Contains(current))
        {
            throw new InvalidOperationException(
                $"A HubGroup cannot be disposed from a greenlet of its own hub {current.Id}: it would wait for itself. Dispose it from another thread or hub.");
        }

        // From a greenlet of another hub, each host's stop parks only that greenlet while its thread is joined.
        StopAll(_hosts);
    }

    private static void StopAll(IEnumerable<GreenletHost> hosts)
    {
        foreach (var host in hosts)
        {
            host.DisposeKillingGreenlets();
        }
    }

    private GreenletHost Host(int hubIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hubIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(hubIndex, _hosts.Length);
        return _hosts[hubIndex];
    }
}
