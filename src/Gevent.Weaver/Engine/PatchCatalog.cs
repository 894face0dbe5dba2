using System;
using System.Collections.Generic;
using System.Linq;
using Gevent.Patches;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>Every patch and blocking native function read from one or more catalog assemblies.</summary>
public sealed class PatchCatalog
{
    private readonly Dictionary<string, PatchEntry> _byKey;
    private readonly ILookup<string, PatchEntry> _inheritable;
    private readonly Lazy<PatchedReceivers> _receivers;
    private readonly Dictionary<string, PatchEntry> _byReplacement = new();

    internal PatchCatalog(IReadOnlyList<PatchEntry> entries, IReadOnlyList<string> blockingNativeFunctions, IReadOnlyList<string> conflicts, string hash)
    {
        Entries = entries;
        BlockingNativeFunctions = new HashSet<string>(blockingNativeFunctions);
        Conflicts = conflicts;
        Hash = hash;
        _byKey = entries.ToDictionary(e => e.Key);
        _inheritable = entries.Where(e => e.Kind is PatchKind.Instance or PatchKind.Virtual && e.TypeArity == 0).ToLookup(e => e.Member);
        MemberNames = new HashSet<string>(entries.Select(e => e.MethodName));
        _receivers = new Lazy<PatchedReceivers>(() => new PatchedReceivers(entries));
        foreach (var entry in entries)
        {
            _byReplacement[ReplacementKey(entry.Replacement)] = entry;
        }
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

    /// <summary>Which receivers of a <c>constrained.</c> call could be a patched type (resolved once, when first needed).</summary>
    internal PatchedReceivers Receivers => _receivers.Value;

    /// <summary>
    /// The patch for a call site's target, if any. A call may name a derived type (<c>base.Read</c> in a
    /// <c>MemoryStream</c> subclass names <c>MemoryStream::Read</c>): then the callee is resolved, and it
    /// matches when it is the patched member itself (inherited) or an override of a patched virtual —
    /// never a different member that merely has the same name and signature (<c>new</c>).
    /// </summary>
    public PatchEntry? Find(MethodReference callee)
    {
        if (!MemberNames.Contains(callee.Name))
        {
            return null;
        }

        var element = callee is GenericInstanceMethod generic ? generic.ElementMethod : callee;
        var member = PatchEntry.MemberKey(element.Name, element.GenericParameters.Count, element.Parameters.Select(p => SignatureKey.Of(p.ParameterType)));
        if (_byKey.TryGetValue(SignatureKey.ElementName(callee.DeclaringType) + "::" + member, out var entry))
        {
            return entry;
        }

        var candidates = _inheritable[member].ToList();
        // An unresolvable hierarchy cannot be matched: the call keeps the original.
        var definition = candidates.Count == 0 ? null : Resolution.OrNull(() => callee.Resolve());
        if (definition is null)
        {
            return null;
        }

        var declaring = SignatureKey.ElementName(definition.DeclaringType);
        if (candidates.FirstOrDefault(c => c.DeclaringType == declaring) is { } inherited)
        {
            return inherited;
        }

        if (!definition.IsVirtual || definition.IsNewSlot)
        {
            return null;
        }

        for (var type = Resolution.OrNull(() => definition.DeclaringType.BaseType?.Resolve()); type is not null; type = Resolution.OrNull(() => type.BaseType?.Resolve()))
        {
            var name = type.FullName;
            if (candidates.FirstOrDefault(c => c.Kind == PatchKind.Virtual && c.DeclaringType == name) is { } overridden)
            {
                return overridden;
            }
        }

        return null;
    }

    /// <summary>
    /// The entry whose replacement <paramref name="callee"/> calls, if any: how a rewritten call site is
    /// recognised after the rewriting pass (or in an assembly patched before), with no second list of them.
    /// </summary>
    public PatchEntry? ReplacementOf(MethodReference callee) =>
        _byReplacement.TryGetValue(ReplacementKey(callee is GenericInstanceMethod generic ? generic.ElementMethod : callee), out var entry) ? entry : null;

    /// <summary>A replacement's identity: the rewriting pass builds its references by type, name and parameters.</summary>
    private static string ReplacementKey(MethodReference method) =>
        $"{SignatureKey.ElementName(method.DeclaringType)}::{method.Name}/{method.Parameters.Count}";
}
