using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Gevent.Weaving;

/// <summary>Every patch and blocking native function read from one or more catalog assemblies.</summary>
public sealed class PatchCatalog
{
    private readonly Dictionary<string, PatchEntry> byKey;

    internal PatchCatalog(IReadOnlyList<PatchEntry> entries, IReadOnlyList<string> blockingNativeFunctions, IReadOnlyList<string> conflicts, string hash)
    {
        Entries = entries;
        BlockingNativeFunctions = new HashSet<string>(blockingNativeFunctions);
        Conflicts = conflicts;
        Hash = hash;
        byKey = entries.ToDictionary(e => e.Key);
        MemberNames = new HashSet<string>(entries.Select(e => e.MethodName));
    }

    /// <summary>The patches, in catalog order.</summary>
    public IReadOnlyList<PatchEntry> Entries { get; }

    /// <summary>Entry points of native functions that block (reported when P/Invoked).</summary>
    public ISet<string> BlockingNativeFunctions { get; }

    /// <summary>Patches ignored because an earlier catalog already patches the same original.</summary>
    public IReadOnlyList<string> Conflicts { get; }

    /// <summary>A digest of everything that decides the rewriting: part of the marker.</summary>
    public string Hash { get; }

    /// <summary>Metadata names of patched members, for a fast first test of a call site.</summary>
    internal ISet<string> MemberNames { get; }

    /// <summary>The patch for a call site's target, if any.</summary>
    public PatchEntry? Find(MethodReference callee)
    {
        if (!MemberNames.Contains(callee.Name))
        {
            return null;
        }

        var element = callee is GenericInstanceMethod generic ? generic.ElementMethod : callee;
        var key = PatchEntry.MemberKey(
            SignatureKey.ElementName(callee.DeclaringType),
            element.Name,
            element.GenericParameters.Count,
            element.Parameters.Select(p => SignatureKey.Of(p.ParameterType)));
        return byKey.TryGetValue(key, out var entry) ? entry : null;
    }
}
