using System.Globalization;
using System.Text;
using Gevent.Bench.Data;
using Gevent.Bench.Stackless;

namespace Gevent.Bench;

/// <summary>
/// The <c>micro --woven</c> command: the workloads the woven bodies cover, from woven code, beside the hand-woven
/// stackless bodies, tier 1 and Python gevent, one family at a time in one run. Tier 1 leaves out the workloads
/// that hold 10,000 thread-backed greenlets at once. Writes docs/data/micro-woven.json.
/// </summary>
internal static class WovenComparison
{
    private static readonly MicroWorkload[] s_workloads = [MicroWorkload.SpawnJoin, MicroWorkload.Switch, MicroWorkload.QueuePingPong, MicroWorkload.EventWakeup];

    public static int Run()
    {
        Progress("Python gevent");
        var gevent = PythonGeventRunner.Run();
        Progress("Gevent for .NET, tier 1");
        var tier1 = HubThread.Run(() => new GreenletWorkloads().Run(manyAtOnce: false));
        Progress("Gevent for .NET, hand-woven stackless");
        var handWoven = HubThread.Run(StacklessWorkloads.Run);
        Progress("Gevent for .NET, woven stackless");
        var woven = HubThread.Run(WovenWorkloads.Run);

        var families = new[]
        {
            (Key: Families.GeventDotnetWoven, Results: woven), (Key: Families.GeventDotnetStackless, Results: handWoven),
            (Key: Families.GeventDotnet, Results: tier1), (Key: Families.PythonGevent, Results: gevent),
        };
        Console.WriteLine(Format(woven, handWoven, tier1, gevent));
        var rows = s_workloads
            .Select(w => new WorkloadRow(w.Key, w.Label, w.Unit, families.ToDictionary(f => f.Key, f => JsonOutput.Round(f.Results.Get(w)))))
            .ToList();
        JsonOutput.Save("micro-woven", rows, [.. MicroReport.Notes(families.Select(f => f.Results))]);
        return 0;
    }

    private static string Format(FamilyResults woven, FamilyResults handWoven, FamilyResults tier1, FamilyResults gevent)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"micro, woven bodies — {Environment.ProcessorCount} CPUs, .NET {Environment.Version}, best of {Measure.DefaultTrials}, µs per op, lower is better");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"workload",-28} {"woven",9} {"hand-woven",11} {"tier 1",9} {"Py gevent",10} {"woven ÷ gevent",15} {"woven ÷ hand",13}");
        foreach (var workload in s_workloads)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{workload.Label,-28} {Cell(woven, workload),9} {Cell(handWoven, workload),11} {Cell(tier1, workload),9} {Cell(gevent, workload),10} {Ratio(woven, gevent, workload),15} {Ratio(woven, handWoven, workload),13}");
        }

        foreach (var note in MicroReport.Notes([woven, handWoven, tier1, gevent]))
        {
            text.AppendLine(note);
        }

        return text.ToString();
    }

    private static string Cell(FamilyResults family, MicroWorkload workload) =>
        family.Get(workload) is { } value ? value.ToString("F2", CultureInfo.InvariantCulture) : "n/a";

    private static string Ratio(FamilyResults family, FamilyResults baseline, MicroWorkload workload) =>
        family.Get(workload) is { } a && baseline.Get(workload) is { } b && b > 0 ? $"{a / b:F2}×" : "—";

    private static void Progress(string family) => Console.Error.WriteLine($"running {family}…");
}
