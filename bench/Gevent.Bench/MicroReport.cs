using System.Globalization;
using System.Text;

namespace Gevent.Bench;

/// <summary>The human table of <c>micro</c>: every workload for each family, and Gevent for .NET's ratio to Python gevent.</summary>
internal static class MicroReport
{
    public static string Format(FamilyResults ours, FamilyResults stackless, FamilyResults gevent, FamilyResults threads, FamilyResults async, GreenletLimitProbe.Result limit)
    {
        var families = new[] { ours, stackless, gevent, threads, async };
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"micro benchmarks — {Environment.ProcessorCount} CPUs, .NET {Environment.Version}, best of {Measure.DefaultTrials} unless noted, lower is better");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"workload",-38} {"unit",-7} {"Gevent .NET",12} {"stackless",12} {"Py gevent",12} {"÷ gevent",9} {"stackless ÷",11} {"threads",12} {"async/await",12}");
        foreach (var workload in MicroWorkload.All)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{workload.Label,-38} {workload.Unit,-7} {Cell(ours, workload),12} {Cell(stackless, workload),12} {Cell(gevent, workload),12} {Ratio(ours, gevent, workload),9} {Ratio(stackless, gevent, workload),11} {Cell(threads, workload),12} {Cell(async, workload),12}");
        }

        text.AppendLine();
        foreach (var note in Notes(families))
        {
            text.AppendLine(note);
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"greenlets alive at the safe limit (GeventConfig.Current.MaxGreenlets = {limit.Limit}):");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  {limit.Spawned} sleeping greenlets spawned, {limit.LiveAtLimit} alive in the process when Spawn refused, in {limit.Elapsed.TotalSeconds:F1} s");
        text.AppendLine(limit.Exception is { } refused
            ? $"  Spawn threw {refused.GetType().Name} (the process carried on): {refused.Message}"
            : "  NO exception within the limit plus one batch: the limit is not enforced");
        text.AppendLine(CultureInfo.InvariantCulture, $"  after KillAll: {limit.LiveAfterKill} alive");
        return text.ToString();
    }

    /// <summary>
    /// Which families were not measured and why, and what stood in for a workload (of <paramref name="workloads"/>,
    /// default the micro ones) where that is not obvious.
    /// </summary>
    public static IEnumerable<string> Notes(IEnumerable<FamilyResults> families, IEnumerable<MicroWorkload>? workloads = null)
    {
        foreach (var family in families)
        {
            if (family.Unavailable is not null)
            {
                yield return $"{family.Family}: not measured — {family.Unavailable}";
            }

            foreach (var workload in workloads ?? MicroWorkload.All)
            {
                if (family.NoteFor(workload) is { } note)
                {
                    yield return $"{family.Family}, {workload.Label}: {note}";
                }
            }
        }
    }

    private static string Ratio(FamilyResults family, FamilyResults gevent, MicroWorkload workload) =>
        family.Get(workload) is { } a && gevent.Get(workload) is { } b && b > 0 ? $"{a / b:F2}×" : "—";

    private static string Cell(FamilyResults family, MicroWorkload workload) => family.Get(workload) switch
    {
        null => "n/a",
        { } value => value.ToString(workload.Unit == "B" ? "N0" : "F2", CultureInfo.InvariantCulture),
    };
}
