namespace Gevent;

/// <summary>
/// Every hub of the process, weakly held, for the monitor thread and metrics; and the process's switch and
/// loop-iteration totals. A hub whose main thread and greenlets are gone is collected like any object; its
/// counters, held here strongly, are then added to the retired hubs' sum, as a disposed hub's are, so the
/// totals never go back.
/// </summary>
internal static class HubRegistry
{
    private static readonly List<Entry> s_hubs = [];
    private static readonly HubCounters s_retired = new();

    public static void Add(Hub hub)
    {
        lock (s_hubs)
        {
            s_hubs.Add(new Entry(new WeakReference<Hub>(hub), hub.Counters));
        }
    }

    /// <summary>Forgets a disposed hub: the monitor would otherwise take its stopped loop for a blocked one.</summary>
    public static void Remove(Hub hub)
    {
        lock (s_hubs)
        {
            s_hubs.RemoveAll(entry => (!entry.Hub.TryGetTarget(out var target) || target == hub) && Retired(entry));
        }
    }

    /// <summary>The hubs still alive, dropping the collected ones.</summary>
    public static List<Hub> Snapshot()
    {
        var hubs = new List<Hub>();
        lock (s_hubs)
        {
            s_hubs.RemoveAll(entry =>
            {
                if (!entry.Hub.TryGetTarget(out var hub))
                {
                    return Retired(entry);
                }

                hubs.Add(hub);
                return false;
            });
        }

        return hubs;
    }

    /// <summary>One count summed over every hub ever made: the live ones' counters plus the retired sum.</summary>
    public static long Total(Func<HubCounters, long> count)
    {
        lock (s_hubs)
        {
            var total = count(s_retired);
            foreach (var entry in s_hubs)
            {
                total += count(entry.Counters);
            }

            return total;
        }
    }

    /// <summary>Adds a gone hub's counts to the retired sum; true, so that the entry is dropped.</summary>
    private static bool Retired(Entry entry)
    {
        s_retired.Add(entry.Counters);
        return true;
    }

    private sealed record Entry(WeakReference<Hub> Hub, HubCounters Counters);
}
