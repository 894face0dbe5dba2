namespace Gevent;

/// <summary>
/// Every hub of the process, weakly held, for the monitor thread and metrics. A hub whose main
/// thread and greenlets are gone is collected like any object.
/// </summary>
internal static class HubRegistry
{
    private static readonly List<WeakReference<Hub>> s_hubs = [];

    public static void Add(Hub hub)
    {
        lock (s_hubs)
        {
            s_hubs.Add(new WeakReference<Hub>(hub));
        }
    }

    /// <summary>Forgets a disposed hub: the monitor would otherwise take its stopped loop for a blocked one.</summary>
    public static void Remove(Hub hub)
    {
        lock (s_hubs)
        {
            s_hubs.RemoveAll(reference => !reference.TryGetTarget(out var target) || target == hub);
        }
    }

    /// <summary>The hubs still alive, dropping the collected ones.</summary>
    public static List<Hub> Snapshot()
    {
        var hubs = new List<Hub>();
        lock (s_hubs)
        {
            s_hubs.RemoveAll(reference =>
            {
                if (!reference.TryGetTarget(out var hub))
                {
                    return true;
                }

                hubs.Add(hub);
                return false;
            });
        }

        return hubs;
    }
}
