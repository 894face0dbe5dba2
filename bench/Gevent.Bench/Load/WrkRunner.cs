using System.Globalization;
using System.Text.RegularExpressions;

namespace Gevent.Bench.Load;

/// <summary>Runs wrk against a URL and reads its requests per second, its latency percentiles and its errors.</summary>
internal static partial class WrkRunner
{
    public static bool IsInstalled() =>
        File.Exists("/usr/bin/wrk") || (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "wrk")));

    /// <param name="timeout">How long a request may take before wrk counts it as a timeout (and leaves it out of the latencies).</param>
    public static WrkResult Run(string url, int connections, TimeSpan duration, TimeSpan? timeout = null)
    {
        var threads = Math.Min(2, connections);
        var limit = duration + TimeSpan.FromSeconds(60);
        var timeoutSeconds = (int)(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds;
        var (exitCode, stdout, stderr) = ChildProcess.Run("wrk", $"-t{threads} -c{connections} -d{(int)duration.TotalSeconds}s --timeout {timeoutSeconds}s --latency {url}", limit);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed (exit {exitCode}): {stderr}{stdout}");
        }

        var requestsPerSecond = double.Parse(RequestsPerSecond().Match(stdout).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(Requests().Match(stdout).Groups[1].Value, CultureInfo.InvariantCulture);
        var socketErrors = SocketErrors().Match(stdout);
        long SocketErrorCount(int kind) => socketErrors.Success ? long.Parse(socketErrors.Groups[kind].Value, CultureInfo.InvariantCulture) : 0;
        var non2xx = Non2xx().Match(stdout) is { Success: true } bad ? long.Parse(bad.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new WrkResult(requestsPerSecond, requests, SocketErrorCount(1), SocketErrorCount(2), SocketErrorCount(3), SocketErrorCount(4), non2xx)
        {
            LatencyP50 = Percentile(stdout, "50%"),
            LatencyP99 = Percentile(stdout, "99%"),
        };
    }

    // "     99%   12.34ms" in the --latency distribution. wrk leaves requests slower than its timeout out of the
    // distribution, and prints 0.00us when that leaves nothing (none completed, or all too late): no latency then.
    private static TimeSpan? Percentile(string stdout, string percentile)
    {
        var match = LatencyLine().Matches(stdout).FirstOrDefault(m => m.Groups[1].Value == percentile);
        var value = match is null ? 0 : double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (match is null || value == 0)
        {
            return null;
        }

        return match.Groups[3].Value switch
        {
            "us" => TimeSpan.FromMicroseconds(value),
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            var unit => throw new InvalidDataException($"wrk printed a latency in an unknown unit '{unit}'"),
        };
    }

    [GeneratedRegex(@"^\s+(\d+%)\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex LatencyLine();

    [GeneratedRegex(@"(\d+) requests in ")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();
}

/// <summary>What wrk measured: requests per second and in all, failed requests by kind, and the latency percentiles.</summary>
internal sealed record WrkResult(double RequestsPerSecond, long Requests, long ConnectErrors, long ReadErrors, long WriteErrors, long Timeouts, long Non2xx)
{
    /// <summary>The median latency of the requests that completed within the timeout, or null if none did.</summary>
    public TimeSpan? LatencyP50 { get; init; }

    /// <summary>The 99th percentile latency of the requests that completed within the timeout, or null if none did.</summary>
    public TimeSpan? LatencyP99 { get; init; }

    /// <summary>Failed requests of any kind.</summary>
    public long Errors => ConnectErrors + ReadErrors + WriteErrors + Timeouts + Non2xx;
}
