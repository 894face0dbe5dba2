using System.Globalization;
using System.Text.RegularExpressions;

namespace Gevent.Bench.Load;

/// <summary>Runs wrk against a URL and reads its requests per second and its errors.</summary>
internal static partial class WrkRunner
{
    public static bool IsInstalled() =>
        File.Exists("/usr/bin/wrk") || (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "wrk")));

    public static WrkResult Run(string url, int connections, TimeSpan duration)
    {
        var threads = Math.Min(2, connections);
        var limit = duration + TimeSpan.FromSeconds(60);
        var (exitCode, stdout, stderr) = ChildProcess.Run("wrk", $"-t{threads} -c{connections} -d{(int)duration.TotalSeconds}s --timeout 10s {url}", limit);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed (exit {exitCode}): {stderr}{stdout}");
        }

        var requestsPerSecond = double.Parse(RequestsPerSecond().Match(stdout).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(Requests().Match(stdout).Groups[1].Value, CultureInfo.InvariantCulture);
        var socketErrors = SocketErrors().Match(stdout);
        long SocketErrorCount(int kind) => socketErrors.Success ? long.Parse(socketErrors.Groups[kind].Value, CultureInfo.InvariantCulture) : 0;
        var non2xx = Non2xx().Match(stdout) is { Success: true } bad ? long.Parse(bad.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new WrkResult(requestsPerSecond, requests, SocketErrorCount(1), SocketErrorCount(2), SocketErrorCount(3), SocketErrorCount(4), non2xx);
    }

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();
}

/// <summary>What wrk measured: requests per second and in all, and failed requests by kind.</summary>
internal sealed record WrkResult(double RequestsPerSecond, long Requests, long ConnectErrors, long ReadErrors, long WriteErrors, long Timeouts, long Non2xx)
{
    /// <summary>Failed requests of any kind.</summary>
    public long Errors => ConnectErrors + ReadErrors + WriteErrors + Timeouts + Non2xx;
}
