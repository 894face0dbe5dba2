using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// Which types are patched, by namespace/type patterns on the top-level type's full name. A pattern
/// is a namespace (<c>MyApp.Net</c>: it and every namespace under it), a type (<c>MyApp.Net.Client</c>),
/// or either with <c>*</c> wildcards. Nested and compiler-generated types follow their outer type.
/// </summary>
public sealed class TypeFilter
{
    private readonly IReadOnlyList<Regex> _include;
    private readonly IReadOnlyList<Regex> _exclude;

    /// <summary>Empty <paramref name="include"/> means every type.</summary>
    public TypeFilter(IEnumerable<string> include, IEnumerable<string> exclude)
    {
        _include = include.Select(ToRegex).ToList();
        _exclude = exclude.Select(ToRegex).ToList();
    }

    /// <summary>Every type.</summary>
    public static TypeFilter All { get; } = new(Enumerable.Empty<string>(), Enumerable.Empty<string>());

    /// <summary>Characters a pattern may contain (for configuration errors).</summary>
    public const string AllowedPattern = "namespace or type names with optional * wildcards, e.g. MyApp.Net, MyApp.*.Client";

    /// <summary>Whether <paramref name="pattern"/> is a well-formed pattern.</summary>
    public static bool IsValidPattern(string pattern) => Regex.IsMatch(pattern, @"^[\w.*`+<>]+$");

    /// <summary>Whether <paramref name="type"/> is patched.</summary>
    public bool Includes(TypeDefinition type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        var name = type.FullName;
        return (_include.Count == 0 || _include.Any(r => r.IsMatch(name))) && !_exclude.Any(r => r.IsMatch(name));
    }

    private static Regex ToRegex(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*") + @"(\..*)?$", RegexOptions.CultureInvariant);
}
