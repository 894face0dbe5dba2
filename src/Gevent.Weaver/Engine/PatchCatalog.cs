using System.Collections.Generic;
using System.Linq;
using Gevent.Patches;
using Mono.Cecil;

namespace Gevent.Weaving;

/// <summary>Every patch and blocking native function read from one or more catalog assemblies.</summary>
public sealed class PatchCatalog
{
    private readonly Dictionary<string, PatchEntry> byKey;
    private readonly ILookup<string, PatchEntry> inheritable;

    internal PatchCatalog(IReadOnlyList<PatchEntry> entries, IReadOnlyList<string> blockingNativeFunctions, IReadOnlyList<string> conflicts, string hash)
    {
        Entries = entries;
        BlockingNativeFunctions = new HashSet<string>(blockingNativeFunctions);
        Conflicts = conflicts;
        Hash = hash;
        byKey = entries.ToDictionary(e => e.Key);
        inheritable = entries.Where(e => e.Kind is PatchKind.Instance or PatchKind.Virtual && e.TypeArity == 0).ToLookup(e => e.Member);
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

    /// <summary>
    /// The patch for a call site's target, if any. A call may name a derived type that overrides or
    /// inherits a patched method (<c>base.Read</c> names <c>MemoryStream::Read</c>), so for instance
    /// and virtual patches the declaring type's base types are searched too.
    /// </summary>
    public PatchEntry? Find(MethodReference callee)
    {
        if (!MemberNames.Contains(callee.Name))
        {
            return null;
        }

        var element = callee is GenericInstanceMethod generic ? generic.ElementMethod : callee;
        var member = PatchEntry.MemberKey(element.Name, element.GenericParameters.Count, element.Parameters.Select(p => SignatureKey.Of(p.ParameterType)));
        if (byKey.TryGetValue(SignatureKey.ElementName(callee.DeclaringType) + "::" + member, out var entry))
        {
            return entry;
        }

        var candidates = inheritable[member].ToList();
        for (var type = candidates.Count == 0 ? null : BaseOf(callee.DeclaringType); type is not null; type = BaseOf(type))
        {
            var name = SignatureKey.ElementName(type);
            if (candidates.FirstOrDefault(c => c.DeclaringType == name) is { } inherited)
            {
                return inherited;
            }
        }

        return null;
    }

    private static TypeReference? BaseOf(TypeReference type)
    {
        try
        {
            return type.Resolve()?.BaseType;
        }
        catch (AssemblyResolutionException)
        {
            // An unresolvable hierarchy cannot be matched; the call keeps the original.
            return null;
        }
    }
}
