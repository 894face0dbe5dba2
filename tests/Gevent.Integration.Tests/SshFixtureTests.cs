using System.Text;
using Gevent.Integration.Tests.Fixtures;
using Renci.SshNet;

namespace Gevent.Integration.Tests;

/// <summary>The OpenSSH fixture serves SSH.NET's synchronous client (unpatched, on a plain thread).</summary>
public class SshFixtureTests(SshServer server) : IClassFixture<SshServer>
{
    [Fact]
    public void SshNetRunsACommandAndMovesAFileOverSftp()
    {
        var key = new PrivateKeyFile(server.UserKeyPath);
        using (var ssh = new SshClient("127.0.0.1", server.Port, server.UserName, key))
        {
            ssh.Connect();
            Assert.Equal("hello gevent\n", ssh.RunCommand("echo hello gevent").Result);
        }

        using var sftp = new SftpClient("127.0.0.1", server.Port, server.UserName, key);
        sftp.Connect();
        var remote = $"/tmp/gevent-sftp-{Guid.NewGuid():N}";
        var content = Encoding.UTF8.GetBytes("round trip through sftp");
        sftp.UploadFile(new MemoryStream(content), remote);
        using var downloaded = new MemoryStream();
        sftp.DownloadFile(remote, downloaded);
        sftp.DeleteFile(remote);
        Assert.Equal(content, downloaded.ToArray());
    }
}
