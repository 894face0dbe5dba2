using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Gevent.Weaver;

/// <summary>Everything the engine did and found in one assembly; text for people, JSON for tools.</summary>
public sealed class WeaveReport
{
    private readonly List<WeaveSite> _sites = new();

    internal WeaveReport(string assembly, string marker, bool alreadyPatched)
    {
        Assembly = assembly;
        Marker = marker;
        AlreadyPatched = alreadyPatched;
    }

    /// <summary>The patched assembly's simple name.</summary>
    public string Assembly { get; }

    /// <summary>The marker the assembly carries after patching.</summary>
    public string Marker { get; }

    /// <summary>True when the assembly already carried this marker and was left untouched.</summary>
    public bool AlreadyPatched { get; }

    /// <summary>Every site, in the order found.</summary>
    public IReadOnlyList<WeaveSite> Sites => _sites;

    /// <summary>The sites that still block the hub (skipped calls, blocking P/Invokes and reflection lookups).</summary>
    public IEnumerable<WeaveSite> Warnings => _sites.Where(s => s.Kind != WeaveSiteKind.Rewritten);

    /// <summary>Number of rewritten call sites.</summary>
    public int RewrittenCount => _sites.Count(s => s.Kind == WeaveSiteKind.Rewritten);

    /// <summary>Number of methods rewritten into resumable frames (tier 2).</summary>
    public int ResumableMethodCount { get; internal set; }

    /// <summary>Number of spawn sites pointed at <c>ResumableGreenlet</c>'s starters (tier 2).</summary>
    public int SpawnSiteCount { get; internal set; }

    /// <summary>Whether the module's code was changed: call sites rewritten, resumable frames made or spawn sites pointed elsewhere.</summary>
    public bool ChangesCode => !AlreadyPatched && RewrittenCount + ResumableMethodCount + SpawnSiteCount > 0;

    internal void Add(WeaveSite site) => _sites.Add(site);

    /// <summary>What tier 2 changed, for a summary line: empty when nothing (resumable frames off).</summary>
    public string Restructuring() =>
        ResumableMethodCount + SpawnSiteCount == 0 ? "" : $", {ResumableMethodCount} methods made resumable, {SpawnSiteCount} spawn sites made stackless";

    /// <summary>The report for people: a summary line, then one line per site.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(Assembly).Append(": ").Append(AlreadyPatched ? "already patched (" + Marker + "), left unchanged" : $"{RewrittenCount} call sites rewritten, {Warnings.Count()} still blocking{Restructuring()} ({Marker})").Append('\n');
        foreach (var site in _sites)
        {
            text.Append("  ").Append(site.Kind).Append(' ').Append(site).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Several reports for tools, as a JSON array.</summary>
    public static string ToJson(IEnumerable<WeaveReport> reports) => "[" + string.Join(",", reports.Select(r => r.ToJson())) + "]";

    /// <summary>The report for tools, as a JSON object.</summary>
    public string ToJson()
    {
        var json = new JsonText();
        json.BeginObject();
        json.Property("assembly", Assembly);
        json.Property("marker", Marker);
        json.Property("alreadyPatched", AlreadyPatched);
        json.Property("resumableMethods", ResumableMethodCount);
        json.Property("spawnSites", SpawnSiteCount);
        json.BeginArray("sites");
        foreach (var site in _sites)
        {
            json.BeginObject();
            json.Property("kind", site.Kind.ToString());
            json.Property("type", site.Type);
            json.Property("method", site.Method);
            json.Property("ilOffset", site.Offset);
            json.Property("file", site.File);
            json.Property("line", site.Line);
            json.Property("original", site.Original);
            json.Property(site.Kind == WeaveSiteKind.Rewritten ? "replacement" : "reason", site.Detail);
            json.EndObject();
        }

        json.EndArray();
        json.EndObject();
        return json.ToString();
    }
}
