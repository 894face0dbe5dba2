using System.Globalization;
using System.Text;
using Gevent.Bench.Data;

namespace Gevent.Bench.Scale;

/// <summary>
/// The <c>scale --woven [COUNT]</c> command: issue 18's scale targets measured from woven code, beside tier 1 and
/// Python gevent (python/gevent_scale.py, run first in the same run): bytes per sleeping greenlet at 100,000,
/// COUNT sleepers and COUNT event waiters in one process (time to spawn and park, bytes each, time to kill or wake
/// all), and GC pauses with greenlets parked. Writes docs/data/scale.json.
/// </summary>
internal static class ScaleBench
{
    /// <summary>What the command accepts, for the usage line.</summary>
    public const string Usage = "scale --woven [COUNT]   COUNT: greenlets parked at once, 100000 to 2000000 (default 1000000)";

    private const int DefaultCount = 1_000_000;

    // At least the 100,000 run before it (bytes each are growth over the process's baseline, which then includes the
    // memory that run freed and the heap kept); at most what Python gevent's side (~2 KB each, tens of
    // seconds per 100,000 on a busy 2-core machine) fits in memory and time here.
    private const int MinCount = ScaleRows.HundredThousand;
    private const int MaxCount = 2_000_000;

    private const string Script = "gevent_scale.py";

    public static int Run(IReadOnlyList<string> arguments)
    {
        if (ParseCount(arguments) is not { } count)
        {
            Console.Error.WriteLine($"usage: Gevent.Bench {Usage}");
            return 2;
        }

        var rows = new ScaleRows(count);
        Progress($"Python gevent ({Script} {count})");
        var gevent = RunPython(rows);
        Progress($"Gevent for .NET, woven stackless, {count:N0}");
        var woven = HubThread.Run(() => ScaleWorkloads.Woven(rows));
        Progress("Gevent for .NET, tier 1");
        var tier1 = HubThread.Run(() => ScaleWorkloads.Tier1(rows));

        var families = new[]
        {
            (Key: Families.GeventDotnetWoven, Results: woven), (Key: Families.GeventDotnet, Results: tier1),
            (Key: Families.PythonGevent, Results: gevent),
        };
        Console.WriteLine(Format(rows, woven, tier1, gevent));
        var data = rows.All
            .Select(r => new WorkloadRow(r.Key, r.Label, r.Unit, families.ToDictionary(f => f.Key, f => JsonOutput.Round(f.Results.Get(r)))))
            .ToList();
        JsonOutput.Save("scale", data, [.. MicroReport.Notes(families.Select(f => f.Results), rows.All)]);
        return 0;
    }

    /// <summary>COUNT from the arguments after <c>scale</c>, or null after saying on standard error what is wrong.</summary>
    private static int? ParseCount(IReadOnlyList<string> arguments)
    {
        switch (arguments)
        {
            case ["--woven"]:
                return DefaultCount;
            case ["--woven", var text]:
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= MinCount and <= MaxCount)
                {
                    return count;
                }

                Console.Error.WriteLine($"scale: COUNT must be a whole number from {MinCount} to {MaxCount}, digits only (got '{text}')");
                return null;
            case [not "--woven", ..] or []:
                Console.Error.WriteLine("scale: say which greenlets to scale: --woven (stackless greenlets spawned from woven code; tier 1 and Python gevent are measured beside them)");
                return null;
            default:
                Console.Error.WriteLine($"scale: one COUNT at most after --woven (got {arguments.Count - 1} arguments)");
                return null;
        }
    }

    private static FamilyResults RunPython(ScaleRows rows)
    {
        // ~7 minutes for 1,000,000 at a load average of 40 here; a hung child must not hang the bench.
        var limit = TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(rows.Count);
        var (python, figures, failure) = PythonGevent.RunJson(Script, $"{rows.Count} --json", limit);
        if (figures is null)
        {
            return new FamilyResults("Python gevent") { Unavailable = failure };
        }

        var results = new FamilyResults($"Python gevent ({python})");
        foreach (var row in rows.All)
        {
            results.Set(row, figures.TryGetValue(row.GeventKey, out var value) ? value : null);
        }

        results.Set(rows.Bytes100k, results.Get(rows.Bytes100k), "resident set growth after gc.collect()");
        return results;
    }

    private static string Format(ScaleRows rows, FamilyResults woven, FamilyResults tier1, FamilyResults gevent)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"scale, woven stackless greenlets — {Environment.ProcessorCount} CPUs, .NET {Environment.Version}, load average {string.Join(' ', Machine.ReadLoadAverages())}; times are wall-clock, pauses medians");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"",-42} {"unit",4} {"woven",12} {"tier 1",12} {"Py gevent",12} {"woven ÷ gevent",15}");
        foreach (var row in rows.All)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{row.Label,-42} {row.Unit,4} {Cell(woven, row),12} {Cell(tier1, row),12} {Cell(gevent, row),12} {Ratio(woven.Get(row), gevent.Get(row)),15}");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"targets (issue 18), woven:");
        text.AppendLine(Target($"bytes per sleeping greenlet at {ScaleRows.HundredThousand:N0} ≤ Python gevent's", woven.Get(rows.Bytes100k), gevent.Get(rows.Bytes100k), 1));
        foreach (var generation in new[] { 0, 2 })
        {
            text.AppendLine(Target($"gen{generation} pause with {ScaleRows.HundredThousand:N0} parked ≤ 2× with none",
                woven.Get(ScaleRows.GcPause(generation, ScaleRows.HundredThousand)), woven.Get(ScaleRows.GcPause(generation, 0)), 2));
        }

        foreach (var note in MicroReport.Notes([woven, tier1, gevent], rows.All))
        {
            text.AppendLine(note);
        }

        return text.ToString();
    }

    private static string Target(string what, double? figure, double? baseline, double factor) =>
        figure is { } f && baseline is { } b
            ? $"  {what}: {f:F1} against {b:F1} ({f / b:F2}×) — {(f <= b * factor ? "met" : "MISSED")}"
            : $"  {what}: not measured";

    private static string Cell(FamilyResults family, MicroWorkload row) => family.Get(row) switch
    {
        null => "—",
        var value when row.Unit == "s" => value.Value.ToString("F3", CultureInfo.InvariantCulture),
        var value => value.Value.ToString("F1", CultureInfo.InvariantCulture),
    };

    private static string Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? $"{x / y:F2}×" : "—";

    private static void Progress(string family) => Console.Error.WriteLine($"running {family}…");
}
