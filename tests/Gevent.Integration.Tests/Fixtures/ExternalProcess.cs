using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gevent.Integration.Tests.Fixtures;

/// <summary>Running the server programs the fixtures need, and finding them a port.</summary>
internal static class ExternalProcess
{
    /// <summary>Runs <paramref name="file"/> to completion; throws with its output if it fails.</summary>
    public static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within 2 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {error.Result}{output.Result}");
        }

        return output.Result;
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>Waits until something accepts connections on the loopback <paramref name="port"/>.</summary>
    public static void WaitForPort(int port, TimeSpan limit, Func<string> diagnostics)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < limit)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new TimeoutException($"nothing listened on 127.0.0.1:{port} within {limit}: {diagnostics()}");
    }

    /// <summary>A fresh temporary folder.</summary>
    public static string TemporaryFolder(string prefix) =>
        Directory.CreateTempSubdirectory(prefix).FullName;
}
