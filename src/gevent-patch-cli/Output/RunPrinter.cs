using System.Text.Json.Nodes;
using Gevent.Cli.Inputs;
using Gevent.Cli.Patching;
using Gevent.Weaver;

namespace Gevent.Cli.Output;

/// <summary>Prints a patch or scan run (one line per input, warnings, a summary, or one JSON document) and decides the exit code.</summary>
internal static class RunPrinter
{
    /// <summary>Prints <paramref name="result"/>; with <paramref name="fullReports"/> every site of every file (scan).</summary>
    public static int Print(Reporter reporter, InputSet set, RunResult result, bool dryRun, bool fullReports)
    {
        foreach (var error in set.Errors)
        {
            Reporter.Error(error);
        }

        foreach (var outcome in result.Outcomes)
        {
            PrintOutcome(reporter, outcome, dryRun, fullReports);
        }

        foreach (var note in result.Notes)
        {
            reporter.Line(note);
        }

        foreach (var error in result.Errors)
        {
            Reporter.Error(error);
        }

        foreach (var report in result.Suspension)
        {
            reporter.Line("suspension " + report.ToText().TrimEnd());
        }

        if (result.Suspension.Count > 0)
        {
            reporter.Line($"suspension: {result.Suspension.Sum(r => r.Methods.Count)} suspendable methods, {result.Suspension.Sum(r => r.Methods.Count(m => m.Capturable))} capturable; pins by reason: {SuspensionReport.Summary(result.Suspension)}; unlinked by reason: {SuspensionReport.UnlinkedSummary(result.Suspension)}");
        }

        var unhandled = set.Inputs.Count - result.Outcomes.Count;
        if (result.Interrupted)
        {
            Reporter.Error($"interrupted: {unhandled} of {set.Inputs.Count} inputs not handled; every file is either original or fully patched.");
        }

        var summary = Summary.Of(result.Outcomes, dryRun);
        reporter.Line(summary.ToString());
        if (reporter.Json)
        {
            Reporter.Document(ToJson(set, result, summary));
        }

        var failed = summary.Failed > 0 || set.Errors.Count > 0 || result.Errors.Count > 0 || unhandled > 0;
        return failed ? ExitCodes.SomeFailed : ExitCodes.Ok;
    }

    private static void PrintOutcome(Reporter reporter, Outcome outcome, bool dryRun, bool fullReports)
    {
        var name = Display(outcome.Input);
        var report = outcome.Report;
        switch (outcome.Kind)
        {
            case OutcomeKind.Failed:
                Reporter.Error($"{name}: {outcome.Message}");
                break;
            case OutcomeKind.Skipped:
                reporter.Detail($"skipped {name}: {outcome.Message}");
                break;
            case OutcomeKind.AlreadyPatched:
                reporter.Line($"already patched {name} ({report!.Marker}): left unchanged");
                break;
            case OutcomeKind.NothingToPatch:
                reporter.Detail($"unchanged {name}: no blocking call to rewrite");
                break;
            case OutcomeKind.Patched:
                reporter.Line($"{(dryRun ? "would patch" : "patched")} {name}: {report!.RewrittenCount} call sites rewritten{report.Restructuring()}");
                break;
        }

        if (fullReports && report is not null)
        {
            reporter.Line(report.ToText().TrimEnd());
        }
        else if (report is not null)
        {
            foreach (var site in report.Sites.Where(s => s.Kind == Weaver.WeaveSiteKind.Rewritten))
            {
                reporter.Detail("  " + site);
            }
        }

        foreach (var warning in outcome.Warnings)
        {
            Reporter.Warning($"{name}: {warning}");
        }
    }

    private static string Display(Input input) => input.Folder is null ? input.Path : input.RelativePath;

    private static JsonObject ToJson(InputSet set, RunResult result, Summary summary)
    {
        var files = new JsonArray();
        foreach (var outcome in result.Outcomes)
        {
            files.Add(new JsonObject
            {
                ["path"] = outcome.Input.Path,
                ["outcome"] = outcome.Kind.ToString(),
                ["message"] = outcome.Message,
                ["warnings"] = Reporter.Array(outcome.Warnings),
                ["report"] = outcome.Report is null ? null : JsonNode.Parse(outcome.Report.ToJson()),
            });
        }

        return new JsonObject
        {
            ["files"] = files,
            ["errors"] = Reporter.Array(set.Errors.Concat(result.Errors)),
            ["notes"] = Reporter.Array(result.Notes),
            ["interrupted"] = result.Interrupted,
            ["summary"] = summary.ToJson(),
            ["suspension"] = result.Suspension.Count == 0 ? null : JsonNode.Parse(SuspensionReport.ToJson(result.Suspension)),
        };
    }
}
