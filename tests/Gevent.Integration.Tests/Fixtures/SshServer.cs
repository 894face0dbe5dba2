using System.Diagnostics;

namespace Gevent.Integration.Tests.Fixtures;

/// <summary>
/// A throw-away OpenSSH server on a free loopback port: a temporary host key, a temporary user key
/// authorized for the current user, SFTP through internal-sftp; killed and deleted at the end.
/// </summary>
public sealed class SshServer : IDisposable
{
    private readonly string _folder;
    private readonly Process _process;

    public SshServer()
    {
        const string sshd = "/usr/sbin/sshd";
        if (!File.Exists(sshd))
        {
            throw new InvalidOperationException("OpenSSH server is not installed: run scripts/install-test-dependencies.sh");
        }

        _folder = ExternalProcess.TemporaryFolder("gevent-sshd-");
        Port = ExternalProcess.FreePort();
        UserName = Environment.UserName;
        var hostKey = Path.Combine(_folder, "host_key");
        UserKeyPath = Path.Combine(_folder, "user_key");
        ExternalProcess.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey);
        ExternalProcess.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", UserKeyPath);
        File.Copy(UserKeyPath + ".pub", Path.Combine(_folder, "authorized_keys"));
        var config = Path.Combine(_folder, "sshd_config");
        File.WriteAllLines(config,
        [
            $"Port {Port}",
            "ListenAddress 127.0.0.1",
            $"HostKey {hostKey}",
            $"PidFile {Path.Combine(_folder, "sshd.pid")}",
            $"AuthorizedKeysFile {Path.Combine(_folder, "authorized_keys")}",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "UsePAM no",
            "StrictModes no",
            "PermitRootLogin prohibit-password",
            "MaxStartups 200",
            "MaxSessions 200",
            "LogLevel ERROR",
            "Subsystem sftp internal-sftp",
            // Debian's bash runs ~/.bashrc for every command sshd starts, unless it is not a top-level shell. A
            // user's rc file (a version manager's "init", say) then costs each command half a second of CPU,
            // which put 50 sessions far past the test's bounds on a 2-core machine.
            "SetEnv SHLVL=1",
        ]);

        // Debian's sshd wants its privilege separation folder even when it runs in the foreground.
        Directory.CreateDirectory("/run/sshd");
        _process = Process.Start(new ProcessStartInfo(sshd, ["-D", "-e", "-f", config]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("could not start sshd");
        var errors = new System.Text.StringBuilder();
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
        ExternalProcess.WaitForPort(Port, TimeSpan.FromSeconds(30), () =>
        {
            lock (errors)
            {
                return errors.ToString();
            }
        });
    }

    public int Port { get; }

    public string UserName { get; }

    /// <summary>An OpenSSH-format ed25519 private key the server accepts for <see cref="UserName"/>.</summary>
    public string UserKeyPath { get; }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
            _process.Dispose();
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
