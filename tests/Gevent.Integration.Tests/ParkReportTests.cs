using System.Text.Json;
using Gevent.Cli.Tests.Infrastructure;
using Gevent.Integration.Tests.Fixtures;

namespace Gevent.Integration.Tests;

/// <summary>
/// bench/Gevent.PinReport, the startup hook that writes how an unchanged app's greenlets parked, loaded into
/// NpgsqlGreenlets patched with resumable frames: its report must add up with the runtime's own counters.
/// </summary>
public sealed class ParkReportTests(PostgresServer server, NpgsqlApp app) : IClassFixture<PostgresServer>, IClassFixture<NpgsqlApp>, IDisposable
{
    private readonly string _report = Path.Combine(Directory.CreateTempSubdirectory("gevent-park-report-").FullName, "parks.json");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_report)!, true);

    [Fact]
    public void The_report_counts_every_greenlet_and_each_pin_once_by_reason_and_site()
    {
        const int queries = 20;
        var hook = Path.Combine(Repository.Root, "bench", "Gevent.PinReport", "bin", Repository.Configuration, "net10.0", "Gevent.PinReport.dll");
        var environment = new Dictionary<string, string> { ["DOTNET_STARTUP_HOOKS"] = hook, ["GEVENT_PIN_REPORT"] = _report };

        var result = PatchedApp.RunJson(Path.Combine(app.PatchedResumable, "NpgsqlGreenlets.dll"), NpgsqlPatchedTests.s_limit, environment, server.ConnectionString, "concurrent", $"{queries}");

        Assert.True(result.GetProperty("concurrent_correct").GetInt32() == queries, result.ToString());
        var report = JsonDocument.Parse(File.ReadAllText(_report)).RootElement;
        Assert.Equal(queries, report.GetProperty("spawned").GetInt64());
        var pins = report.GetProperty("pins").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        var suspensions = report.GetProperty("suspensions").GetInt64();
        // Every query waits at least once, and each park, stackless or pinned, moves the baton.
        var switches = report.GetProperty("switches").GetInt64();
        Assert.True(switches >= queries && switches >= suspensions + pins.Values.Sum(), report.ToString());
        var sites = report.GetProperty("sites").EnumerateArray()
            .GroupBy(s => s.GetProperty("reason").GetString()!)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.GetProperty("count").GetInt64()));
        Assert.Equal(pins.OrderBy(p => p.Key), sites.OrderBy(p => p.Key));
    }
}
