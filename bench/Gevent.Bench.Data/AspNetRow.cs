namespace Gevent.Bench.Data;

/// <summary>
/// One cell of <c>aspnet</c>, the ASP.NET Core comparison: one server and handler under load at one number
/// of connections, with its latency and what the server process held.
/// </summary>
/// <param name="Server">The hosting (Kestrel with the thread pool, Kestrel on Gevent for .NET, …).</param>
/// <param name="Handler">What the handler does (answers at once, blocks on I/O, …).</param>
/// <param name="P50Ms">Median latency, ms; null when no request completed within the load generator's timeout.</param>
/// <param name="P99Ms">99th-percentile latency, ms; null as <paramref name="P50Ms"/>.</param>
/// <param name="Timeouts">Requests the load generator gave up on.</param>
/// <param name="Errors">Connection and read errors and non-2xx answers.</param>
/// <param name="Threads">Peak threads in the server process under load.</param>
/// <param name="RssMib">The server's peak resident set under load, MiB.</param>
public sealed record AspNetRow(
    string Server, string Handler, int Connections, double RequestsPerSecond, double? P50Ms, double? P99Ms, double Timeouts, double Errors, double Threads, double RssMib);
