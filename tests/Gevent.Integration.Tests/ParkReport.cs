using System.Text.Json;
using Gevent.Cli.Tests.Infrastructure;

namespace Gevent.Integration.Tests;

/// <summary>
/// One run's report from bench/Gevent.PinReport, the startup hook that writes how an unchanged app's greenlets parked:
/// where it goes (<see cref="Environment"/>), and what it says, checked to add up with the runtime's own counters.
/// </summary>
internal sealed class ParkReport : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("gevent-park-report-").FullName, "parks.json");

    /// <summary>The variables that load the hook into an app and name the report's file.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["DOTNET_STARTUP_HOOKS"] = Path.Combine(Repository.Root, "bench", "Gevent.PinReport", "bin", Repository.Configuration, "net10.0", "Gevent.PinReport.dll"),
        ["GEVENT_PIN_REPORT"] = _path,
    };

    public long Spawned { get; private set; }

    public long Switches { get; private set; }

    public long Suspensions { get; private set; }

    /// <summary>Pins by reason, as the runtime counted them.</summary>
    public IReadOnlyDictionary<string, long> Pins { get; private set; } = new Dictionary<string, long>();

    /// <summary>The report as written, for a failure's message and the test's output.</summary>
    public string Text { get; private set; } = "";

    /// <summary>
    /// Reads the report the app wrote at its exit, and asserts that it adds up: each park, stackless or pinned, moved the
    /// baton, and the pins by call site sum to the runtime's pins by reason.
    /// </summary>
    public void Read()
    {
        Text = File.ReadAllText(_path);
        var report = JsonDocument.Parse(Text).RootElement;
        Spawned = report.GetProperty("spawned").GetInt64();
        Switches = report.GetProperty("switches").GetInt64();
        Suspensions = report.GetProperty("suspensions").GetInt64();
        Pins = report.GetProperty("pins").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        Assert.True(Switches >= Suspensions + Pins.Values.Sum(), Text);
        var sites = report.GetProperty("sites").EnumerateArray()
            .GroupBy(s => s.GetProperty("reason").GetString()!)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.GetProperty("count").GetInt64()));
        Assert.Equal(Pins.OrderBy(p => p.Key), sites.OrderBy(p => p.Key));
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, true);
}
