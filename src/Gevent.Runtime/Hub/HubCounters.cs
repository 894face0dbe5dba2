using System.Runtime.InteropServices;

namespace Gevent;

/// <summary>
/// A hub's switch and loop-iteration counts. Only the hub's running greenlet writes them, with plain
/// increments, so no two hubs ever write one cache line; the monitor and metrics read them from their own
/// threads, a moment old at worst. A separate object from the hub so that <see cref="HubRegistry"/> can
/// keep a collected hub's counts in the process totals.
/// </summary>
internal sealed class HubCounters
{
    private const int CacheLine = 64;

    private Padded _counts;

    /// <summary>How many times the hub's baton has moved (or been kept) at a blocking point.</summary>
    public long Switches => Volatile.Read(ref _counts.Switches);

    /// <summary>How many times the hub's loop has polled the OS.</summary>
    public long Iterations => Volatile.Read(ref _counts.Iterations);

    /// <summary>Counts a switch; called by the hub's running greenlet only.</summary>
    public void CountSwitch() => Volatile.Write(ref _counts.Switches, _counts.Switches + 1);

    /// <summary>Counts a loop iteration; called by the hub's running greenlet only.</summary>
    public void CountIteration() => Volatile.Write(ref _counts.Iterations, _counts.Iterations + 1);

    /// <summary>Adds a retired hub's counts to these; called under the registry's lock only.</summary>
    public void Add(HubCounters retired)
    {
        Volatile.Write(ref _counts.Switches, _counts.Switches + retired.Switches);
        Volatile.Write(ref _counts.Iterations, _counts.Iterations + retired.Iterations);
    }

    /// <summary>
    /// The counts, a cache line away from both ends: a collection that compacts the heap may put two hubs'
    /// counters side by side, and they must still not share a line.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine)]
    private struct Padded
    {
        [FieldOffset(CacheLine)]
        public long Switches;

        [FieldOffset(CacheLine + sizeof(long))]
        public long Iterations;
    }
}
