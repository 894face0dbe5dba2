namespace Gevent.Bench.Data;

/// <summary>One cell of <c>http</c>: wrk against one server at one number of connections.</summary>
/// <param name="Errors">Failed requests of any kind (connect, read, write, timeout, non-2xx).</param>
public sealed record HttpRow(string Server, int Connections, double RequestsPerSecond, long Errors);
