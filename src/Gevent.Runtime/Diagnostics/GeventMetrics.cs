using System.Diagnostics.Metrics;

namespace Gevent;

/// <summary>
/// The runtime's metrics, as a <see cref="Meter"/> named <c>Gevent</c> (read them with
/// <c>dotnet-counters monitor --counters Gevent</c> or a <see cref="MeterListener"/>). All are
/// observable: the hot paths only bump plain fields, and figures are read when a listener asks. The
/// <c>gevent.hub.*</c> instruments give one measurement per live hub, tagged <c>gevent.hub</c> with its <see cref="Hub.Id"/>.
/// </summary>
public static class GeventMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Gevent";

    private static readonly Meter s_meter = CreateMeter();

    /// <summary>The tag that names the hub of a <c>gevent.hub.*</c> measurement (its <see cref="Hub.Id"/>).</summary>
    public const string HubTag = "gevent.hub";

    /// <summary>The meter itself.</summary>
    public static Meter Meter => s_meter;

    /// <summary>Called once the runtime starts, so listeners see the instruments from then on.</summary>
    internal static void EnsureCreated() => _ = s_meter;

    private static Meter CreateMeter()
    {
        var meter = new Meter(MeterName, typeof(GeventMetrics).Assembly.GetName().Version?.ToString());
        meter.CreateObservableUpDownCounter("gevent.greenlets.alive", () => Greenlet.LiveCount, "{greenlet}", "Greenlets started and not dead, in all hubs.");
        meter.CreateObservableCounter("gevent.greenlets.spawned", () => Greenlet.SpawnedCount, "{greenlet}", "Greenlets started since the process began.");
        meter.CreateObservableCounter("gevent.switches", () => HubRegistry.Total(static counters => counters.Switches), "{switch}", "Times a hub's baton moved at a blocking point.");
        meter.CreateObservableCounter("gevent.loop.iterations", () => HubRegistry.Total(static counters => counters.Iterations), "{iteration}", "Event loop polls of the OS, in all hubs.");
        meter.CreateObservableGauge("gevent.threadpool.queue_length", () => HubRegistry.Snapshot().Sum(hub => hub.ThreadPoolIfCreated?.QueueLength ?? 0), "{job}", "Jobs waiting for a thread of a hub's GreenThreadPool.");
        meter.CreateObservableCounter("gevent.greenlets.suspensions", () => PinCounts.TotalSuspensions, "{suspension}", "Times a stackless greenlet parked with its frames saved, freeing its carrier thread.");
        meter.CreateObservableCounter("gevent.greenlets.pins", PinCounts.Measure, "{pin}", "Times a stackless greenlet blocked its carrier thread because its frames could not be saved, tagged by reason.");
        meter.CreateObservableCounter("gevent.monitor.blocking_reports", () => HubMonitor.Instance.ReportCount, "{report}", "Greenlets reported for blocking their hub.");

        // Read from the listener's thread while the hubs run: each figure is a field the hub writes, so a reading
        // may be a moment old, never torn.
        meter.CreateObservableUpDownCounter("gevent.hub.greenlets.alive", () => PerHub(hub => hub.Live.Count), "{greenlet}", "Greenlets alive in each hub.");
        meter.CreateObservableCounter("gevent.hub.switches", () => PerHub(hub => hub.Switches), "{switch}", "Times each hub's baton moved at a blocking point.");
        meter.CreateObservableCounter("gevent.hub.loop.iterations", () => PerHub(hub => hub.Loop.Iterations), "{iteration}", "Each hub's event loop polls of the OS.");
        meter.CreateObservableGauge("gevent.hub.threadpool.queue_length", () => PerHub(hub => hub.ThreadPoolIfCreated?.QueueLength ?? 0), "{job}", "Jobs waiting for a thread of each hub's GreenThreadPool.");
        return meter;
    }

    private static IEnumerable<Measurement<long>> PerHub(Func<Hub, long> measure) =>
        HubRegistry.Snapshot().Select(hub => new Measurement<long>(measure(hub), new KeyValuePair<string, object?>(HubTag, hub.Id)));
}
