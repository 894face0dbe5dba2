namespace Gevent.Bench.Data;

/// <summary>One candidate of <c>baton</c> or <c>echo-rtt</c>: a name and its best time per operation.</summary>
public sealed record TimingRow(string Name, double Microseconds);
