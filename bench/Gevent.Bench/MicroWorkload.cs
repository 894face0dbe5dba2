namespace Gevent.Bench;

/// <summary>
/// One row of the micro benchmark: its key in <c>micro --json</c> (the same as <c>gevent_micro.py --json</c>)
/// and what the row means.
/// </summary>
/// <param name="Key">The JSON key; also the key each family reports its figure under.</param>
/// <param name="GeventKey">gevent_micro.py's key for the same workload (differs only where it measures at another count).</param>
/// <param name="Label">The row's name in the human table.</param>
/// <param name="Unit">The figure's unit.</param>
internal sealed record MicroWorkload(string Key, string GeventKey, string Label, string Unit)
{
    public static readonly MicroWorkload SpawnJoin = Same("spawn_join_us", "spawn + join", "µs/op");
    public static readonly MicroWorkload SpawnSleepJoin = Same("spawn_sleep1ms_join_us", "spawn + sleep(1 ms) + join, 10,000", "µs/op");
    public static readonly MicroWorkload Switch = Same("sleep0_switch_us", "switch (Yield / sleep(0))", "µs/op");
    public static readonly MicroWorkload QueuePingPong = Same("queue_pingpong_us", "queue ping-pong", "µs/msg");
    public static readonly MicroWorkload EventWakeup = Same("event_wakeup_us", "event wake-up", "µs/op");

    // The issue asks for 10,000 parked greenlets (the thread-backed runtime's safe limit is ~14k);
    // gevent_micro.py parks 100,000, so its row compares a per-item figure at a different count.
    public static readonly MicroWorkload BytesPerParked = new(
        "bytes_per_sleeping_greenlet_10k", "bytes_per_sleeping_greenlet_100k", "bytes per parked greenlet", "B");

    // Stackless greenlets own no thread, so they park at gevent_micro.py's own count.
    public static readonly MicroWorkload BytesPerParked100k = Same("bytes_per_sleeping_greenlet_100k", "bytes per parked greenlet, 100,000", "B");

    /// <summary>In gevent_micro.py's order, which is also the JSON order.</summary>
    public static readonly IReadOnlyList<MicroWorkload> All =
        [SpawnJoin, SpawnSleepJoin, Switch, QueuePingPong, EventWakeup, BytesPerParked, BytesPerParked100k];

    private static MicroWorkload Same(string key, string label, string unit) => new(key, key, label, unit);
}
