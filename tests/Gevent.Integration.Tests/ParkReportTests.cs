using Gevent.Integration.Tests.Fixtures;

namespace Gevent.Integration.Tests;

/// <summary>
/// bench/Gevent.PinReport loaded into NpgsqlGreenlets patched with resumable frames: its report must add up with the
/// runtime's own counters.
/// </summary>
public sealed class ParkReportTests(PostgresServer server, NpgsqlApp app) : IClassFixture<PostgresServer>, IClassFixture<NpgsqlApp>, IDisposable
{
    private readonly ParkReport _report = new();

    public void Dispose() => _report.Dispose();

    [Fact]
    public void The_report_counts_every_greenlet_and_each_pin_once_by_reason_and_site()
    {
        const int queries = 20;

        var result = PatchedApp.RunJson(Path.Combine(app.PatchedResumable, "NpgsqlGreenlets.dll"), NpgsqlPatchedTests.s_limit, _report.Environment, server.ConnectionString, "concurrent", $"{queries}");

        Assert.True(result.GetProperty("concurrent_correct").GetInt32() == queries, result.ToString());
        _report.Read();
        Assert.Equal(queries, _report.Spawned);
        // Every query waits at least once.
        Assert.True(_report.Switches >= queries, _report.Text);
    }
}
