using Gevent.Integration.Tests.Fixtures;
using Xunit.Abstractions;

namespace Gevent.Integration.Tests;

/// <summary>
/// How SSH.NET's sessions park when the app and SSH.NET are patched with resumable frames (issue 18's table of real
/// code), from bench/Gevent.PinReport: the report adds up, and the test's output carries it.
/// </summary>
public sealed class SshParkReportTests(SshServer server, SshApp app, ITestOutputHelper output) : IClassFixture<SshServer>, IClassFixture<SshApp>, IDisposable
{
    private const int Sessions = 20;

    private readonly ParkReport _report = new();

    public void Dispose() => _report.Dispose();

    [Fact]
    public void Every_session_is_counted_and_each_park_once_stackless_or_by_its_pin_reason()
    {
        var result = PatchedApp.RunJson(
            Path.Combine(app.PatchedResumable, "SshGreenlets.dll"), TimeSpan.FromSeconds(180), _report.Environment,
            $"{server.Port}", server.UserName, server.UserKeyPath, $"{Sessions}");

        Assert.True(result.GetProperty("verified").GetInt32() == Sessions, result.ToString());
        _report.Read();
        output.WriteLine(_report.Text);
        Assert.Equal(Sessions, _report.Spawned);
        // Each session waits for its server many times (connect, key exchange, command, SFTP).
        Assert.True(_report.Switches >= 10 * Sessions, _report.Text);
    }
}
