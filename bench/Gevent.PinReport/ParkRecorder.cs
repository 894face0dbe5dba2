using System.Diagnostics.Metrics;
using System.Text.Json;

namespace Gevent.PinReport;

/// <summary>
/// Collects, for one process, the runtime's park counters (stackless suspensions, pins by reason, switches) and
/// the call site of every pin (from the <c>Gevent.Pins</c> debug log), and writes them as one JSON object to a
/// file when the process exits.
/// </summary>
internal sealed class ParkRecorder
{
    /// <summary>The environment variable that names the report file.</summary>
    public const string ReportVariable = "GEVENT_PIN_REPORT";

    private static readonly string[] s_instruments = ["gevent.greenlets.suspensions", "gevent.greenlets.pins", "gevent.switches", "gevent.greenlets.spawned"];

    private readonly PinSiteLog _sites = new();
    private readonly string _path;

    private ParkRecorder(string path) => _path = path;

    /// <summary>Records from now on and writes the report to <paramref name="path"/> at exit.</summary>
    public static void Start(string path)
    {
        var recorder = new ParkRecorder(path);
        GeventLogging.LoggerFactory = new PinCapturingLoggerFactory(GeventLogging.LoggerFactory, recorder._sites);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => recorder.Write();
    }

    private void Write()
    {
        var counters = new Dictionary<string, long>();
        var pins = new Dictionary<string, long>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GeventMetrics.MeterName && s_instruments.Contains(instrument.Name))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                if (instrument.Name == "gevent.greenlets.pins")
                {
                    pins[tags[0].Value?.ToString() ?? "?"] = value;
                }
                else
                {
                    counters[instrument.Name] = value;
                }
            });
            listener.Start();
            listener.RecordObservableInstruments();
        }

        var report = new
        {
            spawned = counters.GetValueOrDefault("gevent.greenlets.spawned"),
            switches = counters.GetValueOrDefault("gevent.switches"),
            suspensions = counters.GetValueOrDefault("gevent.greenlets.suspensions"),
            pins,
            sites = _sites.Snapshot().Select(s => new { reason = s.Key.Reason, site = s.Key.Site, breaks_at = s.Key.BreaksAt, count = s.Value }),
        };
        File.WriteAllText(_path, JsonSerializer.Serialize(report) + Environment.NewLine);
    }
}
