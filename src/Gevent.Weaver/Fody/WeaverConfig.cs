using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using Gevent.Weaver;

/// <summary>The attributes of <c>&lt;Gevent /&gt;</c> in FodyWeavers.xml, validated.</summary>
internal sealed class WeaverConfig
{
    private static readonly char[] s_separators = ['|', ';', ','];
    /// <summary>The attribute names <c>&lt;Gevent /&gt;</c> accepts; <c>Gevent.Fody.xcf</c> lists exactly these.</summary>
    internal static readonly string[] s_known = ["Include", "Exclude", "PatchReferences", "Report", "ResumableFrames"];

    private WeaverConfig(IReadOnlyList<string> include, IReadOnlyList<string> exclude, IReadOnlyList<string> patchReferences, string? report, bool resumableFrames)
    {
        ResumableFrames = resumableFrames;
        Include = include;
        Exclude = exclude;
        PatchReferences = patchReferences;
        Report = report;
    }

    /// <summary>Namespace/type patterns to patch (empty: all).</summary>
    public IReadOnlyList<string> Include { get; }

    /// <summary>Namespace/type patterns not to patch.</summary>
    public IReadOnlyList<string> Exclude { get; }

    /// <summary>Simple names of copy-local references to patch as well.</summary>
    public IReadOnlyList<string> PatchReferences { get; }

    /// <summary>Path of the JSON report, relative to the project, or null for none.</summary>
    public string? Report { get; }

    /// <summary>Whether methods that can suspend become resumable frames (tier 2); false unless set.</summary>
    public bool ResumableFrames { get; }

    /// <summary>Reads <paramref name="element"/>; a bad attribute is a <see cref="WeavingException"/> naming it and its allowed values.</summary>
    public static WeaverConfig Parse(XElement? element)
    {
        var attributes = element?.Attributes().ToList() ?? [];
        if (attributes.FirstOrDefault(a => !s_known.Contains(a.Name.LocalName)) is { } unknown)
        {
            throw new WeavingException($"Gevent: unknown attribute '{unknown.Name.LocalName}' in FodyWeavers.xml; allowed: {string.Join(", ", s_known)}.");
        }

        var report = element?.Attribute("Report")?.Value.Trim();
        if (report is { Length: 0 })
        {
            throw new WeavingException("Gevent: Report must be the path of the JSON report file, e.g. Report=\"obj/gevent-report.json\".");
        }

        var resumable = element?.Attribute("ResumableFrames")?.Value.Trim();
        if (resumable is not (null or "true" or "false"))
        {
            throw new WeavingException($"Gevent: ResumableFrames=\"{resumable}\" is not valid; allowed: true, false.");
        }

        return new WeaverConfig(
            List(element, "Include", TypeFilter.IsValidPattern, TypeFilter.AllowedPattern),
            List(element, "Exclude", TypeFilter.IsValidPattern, TypeFilter.AllowedPattern),
            List(element, "PatchReferences", IsAssemblyName, "simple names of referenced assemblies, e.g. Npgsql|StackExchange.Redis"),
            report,
            resumable == "true");
    }

    private static IReadOnlyList<string> List(XElement? element, string name, Func<string, bool> isValid, string allowed)
    {
        var value = element?.Attribute(name)?.Value;
        if (value is null)
        {
            return [];
        }

        var items = value.Split(s_separators, StringSplitOptions.RemoveEmptyEntries).Select(i => i.Trim()).ToList();
        var bad = items.Count == 0 ? value : items.FirstOrDefault(i => !isValid(i));
        if (bad is not null)
        {
            throw new WeavingException($"Gevent: {name}=\"{value}\" is not valid ('{bad}'); allowed: {allowed}, separated by '|', ';' or ','.");
        }

        return items;
    }

    private static bool IsAssemblyName(string name) => name.All(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-');
}
