using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gevent.Tests.Servers;

/// <summary>A server out of file descriptors backs off and recovers instead of spinning or dying.</summary>
public class AcceptBackoffTests
{
    [Fact]
    public void AServerOutOfDescriptorsLogsBacksOffAndServesAgainWhenClientsLeave()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RuntimeProbe.dll"), "echo-few-descriptors"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var probe = Process.Start(start)!;
        var errors = new System.Text.StringBuilder();
        probe.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        probe.BeginErrorReadLine();

        // The process reader appends on its own thread; read under the same lock.
        string ErrorsSoFar()
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }

        try
        {
            var port = int.Parse(probe.StandardOutput.ReadLine()!.Split(' ')[1]);
            var endPoint = new IPEndPoint(IPAddress.Loopback, port);

            // Far more connections than the server has descriptors: the kernel completes them in the
            // backlog, the server's accept fails with EMFILE.
            var clients = Enumerable.Range(0, 100).Select(_ =>
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                client.Connect(endPoint);
                return client;
            }).ToList();
            WaitFor(() => ErrorsSoFar().Contains("Accepting on", StringComparison.Ordinal), () => $"the server never reported the failed accept; it logged:\n{ErrorsSoFar()}");
            var cpuBefore = probe.TotalProcessorTime;
            Thread.Sleep(500);
            var cpuWhileFull = probe.TotalProcessorTime - cpuBefore;
            Assert.True(cpuWhileFull < TimeSpan.FromMilliseconds(250), $"the accept loop spun while out of descriptors: {cpuWhileFull.TotalMilliseconds} ms CPU in 500 ms");

            foreach (var client in clients)
            {
                client.Dispose();
            }

            // Recovered means new clients are served again. A client may still be turned away while the server drains
            // the dead connections queued in its backlog: each accepted one takes a descriptor, and so does starting a
            // thread for its greenlet (.NET needs one), so under a heavy load a fresh connection accepted at such a
            // moment can find no thread and be closed (reset). A client tries again, as real ones do.
            var failures = new List<string>();
            var recovery = Stopwatch.StartNew();
            while (!EchoesBack(endPoint, failures))
            {
                Assert.True(recovery.Elapsed < TimeSpan.FromSeconds(30), $"the echo after recovery failed ({string.Join(", ", failures)}); the server logged:\n{ErrorsSoFar()}");
                Thread.Sleep(200);
            }

            Assert.Contains("TooManyOpenSockets", ErrorsSoFar());
        }
        finally
        {
            probe.StandardInput.Close();
            if (!probe.WaitForExit(10_000))
            {
                probe.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Connects, sends 4 bytes and reads them back; false with what happened added to <paramref name="failures"/> if the server closed or reset the connection.</summary>
    private static bool EchoesBack(IPEndPoint endPoint, List<string> failures)
    {
        try
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(endPoint);
            client.ReceiveTimeout = 30_000;
            client.Send("back"u8);
            var echo = new byte[4];
            var got = 0;
            while (got < 4)
            {
                var read = client.Receive(echo, got, 4 - got, SocketFlags.None);
                if (read == 0)
                {
                    failures.Add("closed");
                    return false;
                }

                got += read;
            }

            Assert.Equal("back"u8.ToArray(), echo);
            return true;
        }
        catch (SocketException e)
        {
            failures.Add(e.SocketErrorCode.ToString());
            return false;
        }
    }

    private static void WaitFor(Func<bool> condition, Func<string> failure)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed >= TimeSpan.FromSeconds(30))
            {
                Assert.Fail(failure());
            }

            Thread.Sleep(20);
        }
    }
}
