namespace Gevent.Bench.Data;

/// <summary>
/// One workload of <c>micro</c> or <c>pools</c>: its figure for each family that ran it (Gevent for .NET,
/// Python gevent, threads, …), null where the family has no such workload or was not measured.
/// </summary>
/// <param name="Key">gevent's JSON key for the workload (<c>spawn_join_us</c>, …).</param>
/// <param name="Label">The row's name in the bench's table.</param>
/// <param name="Unit">The figures' unit; lower is better for every workload.</param>
/// <param name="Figures">By family key (<see cref="Families"/>).</param>
public sealed record WorkloadRow(string Key, string Label, string Unit, IReadOnlyDictionary<string, double?> Figures);
