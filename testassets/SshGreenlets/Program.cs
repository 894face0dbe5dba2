using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Gevent;
using Renci.SshNet;

// usage: SshGreenlets PORT USER KEY_PATH SESSIONS
// Each of SESSIONS greenlets connects to 127.0.0.1:PORT, runs "echo session-N", uploads a file of its own over
// SFTP, downloads it back and deletes it. Prints one JSON object: elapsed time, sessions verified, the most sessions
// in progress at once, first error.
var port = int.Parse(args[0]);
var user = args[1];
var key = new PrivateKeyFile(args[2]);
var sessions = int.Parse(args[3]);
var inProgress = 0;
var peakInProgress = 0;
var stopwatch = Stopwatch.StartNew();
var greenlets = Enumerable.Range(0, sessions).Select(i => Greenlet.Spawn(() => Session(i))).ToList();
// Bounded: a session that never ends must fail the run, not hang it. Generously: 50 key exchanges are CPU work,
// and on a 2-core machine that others load heavily they took longer than a minute.
Greenlet.JoinAll(greenlets, timeout: TimeSpan.FromSeconds(150));
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
{
    ["elapsed_ms"] = stopwatch.ElapsedMilliseconds,
    ["verified"] = greenlets.Count(g => g.Successful && g.Value),
    ["peak_in_progress"] = peakInProgress,
    ["unfinished"] = greenlets.Count(g => !g.Dead),
    ["error"] = greenlets.Select(g => g.Exception?.ToString()).FirstOrDefault(e => e is not null),
}));
// Unfinished sessions are parked on sockets the process exit closes.
Environment.Exit(0);

bool Session(int i)
{
    peakInProgress = Math.Max(peakInProgress, Interlocked.Increment(ref inProgress));
    try
    {
        return Run(i);
    }
    finally
    {
        Interlocked.Decrement(ref inProgress);
    }
}

bool Run(int i)
{
    string echoed;
    using (var ssh = new SshClient("127.0.0.1", port, user, key))
    {
        ssh.Connect();
        echoed = ssh.RunCommand($"echo session-{i}").Result;
    }

    var content = Encoding.UTF8.GetBytes($"greenlet {i}: " + new string('x', 64 * 1024));
    var remote = $"/tmp/gevent-sftp-{Guid.NewGuid():N}";
    using var sftp = new SftpClient("127.0.0.1", port, user, key);
    sftp.Connect();
    sftp.UploadFile(new MemoryStream(content), remote);
    using var downloaded = new MemoryStream();
    sftp.DownloadFile(remote, downloaded);
    sftp.DeleteFile(remote);
    return echoed == $"session-{i}\n" && downloaded.ToArray().AsSpan().SequenceEqual(content);
}
