namespace Gevent.Bench.Soak;

/// <summary>The soak's results as text: what was served, errors by kind, the server's figures, the checks.</summary>
internal static class SoakTable
{
    public static void Print(SoakResult result)
    {
        Console.WriteLine($"soak {result.Target}: {result.Minutes:0.#} min (+ {SoakRun.WarmUp.TotalSeconds:0} s warm-up) from {result.Started:yyyy-MM-dd HH:mm}, " +
                          $"{Environment.ProcessorCount} CPUs, load average {result.LoadAverage.Start:0.0} at the start, {result.LoadAverage.Peak:0.0} at the peak, {result.LoadAverage.End:0.0} at the end");
        Console.WriteLine($"  {result.Load.Generator}: {result.Load.Served:N0} {result.Load.Unit} served; errors: {Counts(result.Load.Errors)}");
        foreach (var (name, hostile) in result.Hostile)
        {
            Console.WriteLine($"  {name} ({hostile.Loops} at once): {Counts(hostile.Outcomes)}; errors: {Counts(hostile.Errors)}");
        }

        Console.WriteLine($"  {"server",-14} {"greenlets",10} {"fds",7} {"threads",8} {"RSS MiB",8} {"heap MiB",9}");
        foreach (var (name, snapshot) in new[] { ("cold", result.Server.Cold), ("after warm-up", result.Server.Warm), ("peak", result.Server.Peak), ("final", result.Server.Final) })
        {
            Console.WriteLine($"  {name,-14} {snapshot.Greenlets,10:N0} {snapshot.Descriptors,7:N0} {snapshot.Threads,8:N0} {snapshot.RssKiB / 1024.0,8:N0} {snapshot.HeapBytes / 1048576.0,9:N1}");
        }

        Console.WriteLine("  (cold, after warm-up and final: idle, heap after a full collection; peak: sampled each second)");
        Console.WriteLine($"  server log: {result.ServerLog.Lines:N0} lines on standard error");
        foreach (var line in result.ServerLog.Tail.TakeLast(5))
        {
            Console.WriteLine($"    | {line}");
        }

        Console.WriteLine($"  exit: {(result.ExitCode is { } code ? $"exited {code}{(code > 128 ? $" (signal {code - 128})" : "")}" : "still running")}; dumps: {(result.Dumps.Count == 0 ? "none" : string.Join(", ", result.Dumps))}");
        foreach (var check in result.Checks)
        {
            Console.WriteLine($"  {(check.Passed ? "PASS" : "FAIL")} {check.Name}: {check.Detail}");
        }
    }

    private static string Counts(IReadOnlyDictionary<string, long> counts) =>
        counts.Count(c => c.Value != 0) == 0 ? "none" : string.Join(", ", counts.Where(c => c.Value != 0).Select(c => $"{c.Key} {c.Value:N0}"));
}
