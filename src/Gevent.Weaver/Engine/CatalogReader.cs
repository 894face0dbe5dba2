using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Gevent.Patches;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// Reads the patch catalog from assemblies as metadata: every public static method carrying
/// <c>Gevent.Patches.PatchAttribute</c> and every assembly-level <c>BlockingNativeFunctionAttribute</c>.
/// Attributes are recognised by full name, so any assembly (the runtime, a test catalog, an add-on)
/// can contribute patches; the engine knows nothing about individual APIs.
/// </summary>
public static class CatalogReader
{
    /// <summary>Namespace of the catalog attributes in <c>Gevent.Runtime</c>.</summary>
    public const string AttributeNamespace = "Gevent.Patches";

    /// <summary>The runtime assembly that carries the main catalog.</summary>
    public const string RuntimeAssemblyName = "Gevent.Runtime";

    private const string PatchAttribute = AttributeNamespace + ".PatchAttribute";
    private const string BlockingNativeFunctionAttribute = AttributeNamespace + ".BlockingNativeFunctionAttribute";
    private const string NeverWaitsAttribute = AttributeNamespace + ".NeverWaitsAttribute";

    /// <summary>Whether <paramref name="module"/> declares any patch or blocking native function.</summary>
    public static bool IsCatalog(ModuleDefinition module) =>
        module.Assembly.CustomAttributes.Any(a => a.AttributeType.FullName == BlockingNativeFunctionAttribute)
        || PatchMethods(module).Any();

    /// <summary>Whether <paramref name="method"/> is a replacement: its body calls the original, which must stay as it is.</summary>
    public static bool IsReplacement(MethodDefinition method) =>
        method.HasCustomAttributes && method.CustomAttributes.Any(a => a.AttributeType.FullName == PatchAttribute);

    /// <summary>Reads the catalog of <paramref name="modules"/>; an original patched twice keeps its first patch.</summary>
    public static PatchCatalog Read(IEnumerable<ModuleDefinition> modules)
    {
        var entries = new List<PatchEntry>();
        var seen = new HashSet<string>();
        var conflicts = new List<string>();
        var natives = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var module in modules)
        {
            foreach (var attribute in module.Assembly.CustomAttributes.Where(a => a.AttributeType.FullName == BlockingNativeFunctionAttribute))
            {
                natives.Add((string)attribute.ConstructorArguments[0].Value);
            }

            foreach (var (method, attribute) in PatchMethods(module))
            {
                var entry = ToEntry(method, attribute);
                if (seen.Add(entry.Key))
                {
                    entries.Add(entry);
                }
                else
                {
                    conflicts.Add($"{entry.ReplacementDisplayName} ignored: {entry.OriginalDisplayName} is already patched");
                }
            }
        }

        return new PatchCatalog(entries, natives.ToList(), conflicts, Digest(entries, natives));
    }

    private static IEnumerable<(MethodDefinition Method, CustomAttribute Attribute)> PatchMethods(ModuleDefinition module) =>
        from type in module.GetTypes()
        from method in type.Methods
        where IsReplacement(method)
        from attribute in method.CustomAttributes
        where attribute.AttributeType.FullName == PatchAttribute
        select (method, attribute);

    private static PatchEntry ToEntry(MethodDefinition method, CustomAttribute attribute)
    {
        var arguments = attribute.ConstructorArguments;
        var declaringType = ((TypeReference)arguments[0].Value).FullName;
        var memberName = (string)arguments[1].Value;
        var kind = (PatchKind)Enum.Parse(typeof(PatchKind), EnumName(arguments[2]));
        if (!method.IsStatic || !method.IsPublic)
        {
            throw new WeavingException($"Patch {method.FullName} must be a public static method.");
        }

        var methodName = kind switch
        {
            PatchKind.Constructor => ".ctor",
            PatchKind.Getter => "get_" + memberName,
            _ => memberName,
        };
        var neverWaits = method.CustomAttributes.Any(a => a.AttributeType.FullName == NeverWaitsAttribute);
        return new PatchEntry(declaringType, methodName, kind, EnumName(arguments[3]), method, neverWaits);
    }

    /// <summary>An enum argument's member name, read from the enum's own definition in the catalog.</summary>
    private static string EnumName(CustomAttributeArgument argument)
    {
        var field = argument.Type.Resolve()?.Fields.FirstOrDefault(f => f.HasConstant && Equals(f.Constant, argument.Value));
        return field?.Name ?? throw new WeavingException($"Catalog value {argument.Value} of {argument.Type.FullName} is unknown to this weaver.");
    }

    private static string Digest(IEnumerable<PatchEntry> entries, IEnumerable<string> natives)
    {
        var text = string.Join("\n", entries.Select(e => $"{e.Key}={e.Replacement.FullName}@{e.Replacement.Module.Assembly.Name.Name}{(e.NeverWaits ? " never waits" : "")}").Concat(natives));
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        return string.Concat(hash.Take(8).Select(b => b.ToString("x2")));
    }
}
