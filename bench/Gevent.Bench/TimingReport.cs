using Gevent.Bench.Data;

namespace Gevent.Bench;

/// <summary>The output of the benches that time a list of candidates (<c>baton</c>, <c>echo-rtt</c>): a line each, and docs/data/BENCH.json.</summary>
internal static class TimingReport
{
    public static int Run(string bench, IReadOnlyList<(string Name, double Us)> timings, string unit)
    {
        foreach (var (name, us) in timings)
        {
            Console.WriteLine($"{name,-34} {us,8:F2} {unit}");
        }

        JsonOutput.Save(bench, [.. timings.Select(t => new TimingRow(t.Name, JsonOutput.Round(t.Us)!.Value))]);
        return 0;
    }
}
