namespace Gevent.Bench.AspNet;

/// <summary>
/// One wrk run against one server and handler: throughput, the latencies of the requests that completed, failed
/// requests (timeouts apart from the rest), and the server's peak threads and resident memory during the run.
/// </summary>
internal sealed record AspNetRun(
    int Round,
    double RequestsPerSecond,
    double? LatencyP50Ms,
    double? LatencyP99Ms,
    long Requests,
    long Timeouts,
    long Errors,
    int PeakThreads,
    double PeakRssMiB,
    double LoadAverage);
