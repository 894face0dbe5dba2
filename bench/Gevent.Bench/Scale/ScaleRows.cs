namespace Gevent.Bench.Scale;

/// <summary>
/// The rows of the <c>scale</c> command for a run at <c>count</c> greenlets: their keys (the same as
/// <c>gevent_scale.py --json</c>'s), labels and units. Time rows are wall-clock; pause rows are medians of forced
/// collections.
/// </summary>
internal sealed class ScaleRows(int count)
{
    /// <summary>Stackless greenlets park at gevent_micro.py's count; the targets are at this count.</summary>
    public const int HundredThousand = 100_000;

    /// <summary>Thread-backed greenlets park at counts a tier-1 process holds (one thread each).</summary>
    public static readonly IReadOnlyList<int> Tier1Counts = [1_000, 10_000];

    /// <summary>How many greenlets the large runs park at once.</summary>
    public int Count { get; } = count;

    public MicroWorkload Bytes100k { get; } = Row("bytes_per_sleeping_greenlet_100k", $"bytes per sleeping greenlet, {HundredThousand:N0}", "B");

    public MicroWorkload BytesTier1 { get; } = Row("bytes_per_sleeping_greenlet_10k", $"bytes per sleeping greenlet, {Tier1Counts[^1]:N0}", "B");

    public MicroWorkload SpawnParkSleepers { get; } = Row("spawn_park_sleepers_s", $"spawn {count:N0} sleepers, all parked", "s");

    public MicroWorkload BytesMany { get; } = Row("bytes_per_sleeping_greenlet_many", $"bytes per sleeping greenlet, {count:N0}", "B");

    public MicroWorkload KillAll { get; } = Row("kill_all_s", $"kill {count:N0} sleepers, all dead", "s");

    public MicroWorkload SpawnParkWaiters { get; } = Row("spawn_park_waiters_s", $"spawn {count:N0} event waiters, all parked", "s");

    public MicroWorkload WakeAll { get; } = Row("wake_all_s", $"set the event, {count:N0} waiters joined", "s");

    /// <summary>Every row, in the table's order.</summary>
    public IReadOnlyList<MicroWorkload> All =>
    [
        Bytes100k, BytesTier1, SpawnParkSleepers, BytesMany, KillAll, SpawnParkWaiters, WakeAll,
        .. from generation in new[] { 0, 2 }
           from parked in new[] { 0, Tier1Counts[0], Tier1Counts[1], HundredThousand }
           select GcPause(generation, parked),
    ];

    /// <summary>The median pause of a forced collection of <paramref name="generation"/> with <paramref name="parked"/> greenlets parked (0: none).</summary>
    public static MicroWorkload GcPause(int generation, int parked) => parked == 0
        ? Row($"gc_gen{generation}_pause_us_idle", $"gen{generation} GC pause, none parked", "µs")
        : Row($"gc_gen{generation}_pause_us_{parked / 1_000}k", $"gen{generation} GC pause, {parked:N0} parked", "µs");

    private static MicroWorkload Row(string key, string label, string unit) => new(key, key, label, unit);
}
