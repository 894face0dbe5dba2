namespace Gevent.Bench.Data;

/// <summary>One cell of <c>echo</c>: the load generator holding connections open against one echo server.</summary>
/// <param name="Held">Connections open at once (of <paramref name="Connections"/> asked for).</param>
public sealed record EchoRow(string Server, int Connections, int Held, double RoundTripsPerSecond, long Errors);
