using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Gevent.Weaver;

/// <summary>What the suspendable-path analysis found in one assembly of the woven set; text for people, JSON for tools.</summary>
public sealed class SuspensionReport
{
    internal SuspensionReport(string assembly, IReadOnlyList<SuspendableMethod> methods)
    {
        Assembly = assembly;
        Methods = methods;
    }

    /// <summary>The assembly's simple name.</summary>
    public string Assembly { get; }

    /// <summary>Its suspendable methods, in module order.</summary>
    public IReadOnlyList<SuspendableMethod> Methods { get; }

    /// <summary>The sites where a greenlet would pin.</summary>
    public IEnumerable<SuspensionSite> Pins => Methods.SelectMany(m => m.Sites).Where(s => s.Pins);

    /// <summary>The sites of capturable methods the resumable frames would leave unlinked, where a greenlet pins after all.</summary>
    public IEnumerable<SuspensionSite> Unlinked => Methods.SelectMany(m => m.Sites).Where(s => s.Unlinked is not null);

    /// <summary>Unlinked sites per reason, in the enum's order.</summary>
    public IReadOnlyList<(UnlinkedReason Reason, int Sites)> UnlinkedByReason() => UnlinkedByReason(Unlinked);

    /// <summary>The unlinked sites of several reports by reason on one line (<c>CalleeNotRewritten 3, UnknownStackType 1</c>), or <c>none</c>.</summary>
    public static string UnlinkedSummary(IEnumerable<SuspensionReport> reports)
    {
        var counts = UnlinkedByReason(reports.SelectMany(r => r.Unlinked));
        return counts.Count == 0 ? "none" : string.Join(", ", counts.Select(c => $"{c.Reason} {c.Sites}"));
    }

    /// <summary>Pinning sites per reason (a site with two reasons counts under both), in the enum's order.</summary>
    public IReadOnlyList<(PinReason Reason, int Sites)> CountsByReason() => CountsByReason(Pins);

    /// <summary>The counts by reason of several reports on one line (<c>ByRef 3, MonitorHeld 1</c>), or <c>none</c>.</summary>
    public static string Summary(IEnumerable<SuspensionReport> reports)
    {
        var counts = CountsByReason(reports.SelectMany(r => r.Pins));
        return counts.Count == 0 ? "none" : string.Join(", ", counts.Select(c => $"{c.Reason} {c.Sites}"));
    }

    /// <summary>Several reports for tools, as a JSON array.</summary>
    public static string ToJson(IEnumerable<SuspensionReport> reports) => "[" + string.Join(",", reports.Select(r => r.ToJson())) + "]";

    /// <summary>The report for people: counts, the pins grouped by reason, a summary line.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        var capturable = Methods.Count(m => m.Capturable);
        var entered = Methods.Count(m => m.EnteredFromUnwovenCode);
        text.Append($"{Assembly}: {Methods.Count} suspendable methods, {capturable} capturable stacklessly, {Methods.Count - capturable} would pin; {entered} may be entered from un-woven code\n");
        foreach (var (reason, _) in CountsByReason())
        {
            text.Append("  ").Append(reason).Append(":\n");
            foreach (var site in Pins.Where(s => s.Reasons.Contains(reason)))
            {
                text.Append("    ").Append(site).Append('\n');
            }
        }

        text.Append("  pins by reason: ").Append(Summary([this])).Append('\n');
        foreach (var (reason, _) in UnlinkedByReason())
        {
            text.Append("  unlinked, ").Append(reason).Append(":\n");
            foreach (var site in Unlinked.Where(s => s.Unlinked == reason))
            {
                text.Append("    ").Append(site).Append('\n');
            }
        }

        text.Append("  unlinked by reason: ").Append(UnlinkedSummary([this])).Append('\n');
        return text.ToString();
    }


    /// <summary>The report for tools, as a JSON object.</summary>
    public string ToJson()
    {
        var json = new JsonText();
        json.BeginObject();
        json.Property("assembly", Assembly);
        json.Property("suspendableMethods", Methods.Count);
        json.Property("capturableMethods", Methods.Count(m => m.Capturable));
        json.Property("enteredFromUnwovenCode", Methods.Count(m => m.EnteredFromUnwovenCode));
        WriteCounts(json, "pinsByReason", CountsByReason().Select(c => (c.Reason.ToString(), c.Sites)));
        json.BeginArray("pins");
        foreach (var site in Pins)
        {
            json.BeginObject();
            json.Property("method", site.Method);
            json.Property("ilOffset", site.Offset);
            json.Property("callee", site.Callee);
            json.Property("kind", site.Kind.ToString());
            json.Property("reasons", string.Join(",", site.Reasons));
            json.EndObject();
        }

        json.EndArray();
        WriteCounts(json, "unlinkedByReason", UnlinkedByReason().Select(c => (c.Reason.ToString(), c.Sites)));
        json.BeginArray("unlinked");
        foreach (var site in Unlinked)
        {
            json.BeginObject();
            json.Property("method", site.Method);
            json.Property("ilOffset", site.Offset);
            json.Property("callee", site.Callee);
            json.Property("kind", site.Kind.ToString());
            json.Property("reason", site.Unlinked.ToString());
            json.EndObject();
        }

        json.EndArray();
        json.EndObject();
        return json.ToString();
    }

    /// <summary>An array of <c>{ reason, sites }</c> objects.</summary>
    private static void WriteCounts(JsonText json, string name, IEnumerable<(string Reason, int Sites)> counts)
    {
        json.BeginArray(name);
        foreach (var (reason, sites) in counts)
        {
            json.BeginObject();
            json.Property("reason", reason);
            json.Property("sites", sites);
            json.EndObject();
        }

        json.EndArray();
    }

    private static IReadOnlyList<(UnlinkedReason Reason, int Sites)> UnlinkedByReason(IEnumerable<SuspensionSite> unlinked)
    {
        var list = unlinked.ToList();
        return Enum.GetValues(typeof(UnlinkedReason)).Cast<UnlinkedReason>()
            .Select(r => (r, list.Count(s => s.Unlinked == r)))
            .Where(c => c.Item2 > 0)
            .ToList();
    }

    private static IReadOnlyList<(PinReason Reason, int Sites)> CountsByReason(IEnumerable<SuspensionSite> pins)
    {
        var list = pins.ToList();
        return Enum.GetValues(typeof(PinReason)).Cast<PinReason>()
            .Select(r => (r, list.Count(s => s.Reasons.Contains(r))))
            .Where(c => c.Item2 > 0)
            .ToList();
    }
}
