using Gevent.Integration.Tests.Fixtures;

namespace Gevent.Integration.Tests;

/// <summary>
/// SSH.NET as NuGet ships it, patched in a publish folder by the gevent-patch CLI: 50 greenlets each
/// connect, run a command, upload a file over SFTP and download it back, against the OpenSSH fixture.
/// </summary>
public class SshPatchedTests(SshServer server, SshApp app) : IClassFixture<SshServer>, IClassFixture<SshApp>
{
    [Fact]
    public void Fifty_concurrent_sessions_each_run_a_command_and_move_a_file_over_sftp()
    {
        var result = app.Run(app.Patched, TimeSpan.FromSeconds(90), $"{server.Port}", server.UserName, server.UserKeyPath, "50");

        Assert.True(result.GetProperty("verified").GetInt32() == 50, result.ToString());
        // Unpatched, the sessions run one after another: about 21 s here (0.43 s each); with SSH.NET's
        // WaitHandle and Task waits left blocking, 17-19 s. Cooperative, about 9 s: they overlap their waits,
        // but key exchange and ciphers are CPU work that one hub still does one greenlet at a time.
        Assert.True(result.GetProperty("elapsed_ms").GetInt64() < 14_000, result.ToString());
    }
}
