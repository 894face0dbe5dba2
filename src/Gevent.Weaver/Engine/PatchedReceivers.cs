using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// Whether the receiver of a <c>constrained.</c> call could be one of the catalog's patched types. Such a
/// call reaches the receiver's own implementation and cannot be rewritten; it is worth a warning only when
/// that implementation could be a patched one. The patched types are the classes and structs whose instance
/// members the catalog patches (<c>Socket</c>, <c>Stream</c>, <c>TextWriter</c>…); a patched interface member
/// (<c>IDisposable.Dispose</c>) is there for the classes behind it, so an interface is not one itself —
/// otherwise every struct enumerator of a <c>foreach</c> would be.
/// </summary>
internal sealed class PatchedReceivers
{
    private readonly IReadOnlyList<PatchedType> _types;

    public PatchedReceivers(IEnumerable<PatchEntry> entries) =>
        _types = entries
            .Where(e => e.HasReceiver)
            .Select(e => Unref(e.Replacement.Parameters[0].ParameterType))
            .GroupBy(SignatureKey.ElementName)
            .Select(g => PatchedType.Of(g.Key, g.First()))
            .OfType<PatchedType>()
            .ToList();

    /// <summary>
    /// A value type is a patched type only by being one (nothing derives from it); a generic parameter could
    /// be one its constraints admit; any other reference type could be one it derives from or a subclass of it.
    /// What cannot be resolved could be anything.
    /// </summary>
    public bool CouldBePatched(TypeReference receiver)
    {
        if (receiver is GenericParameter parameter)
        {
            var bounds = parameter.Constraints.Select(c => c.ConstraintType).ToList();
            return _types.Any(t =>
                (!parameter.HasNotNullableValueTypeConstraint || t.IsValueType)
                && (!parameter.HasReferenceTypeConstraint || !t.IsValueType)
                && bounds.All(b => Compatible(t, b)));
        }

        var name = SignatureKey.ElementName(receiver);
        var definition = Hierarchy.Resolve(receiver);
        if (definition is null)
        {
            return true;
        }

        return definition.IsValueType ? _types.Any(t => t.Name == name) : _types.Any(t => Compatible(t, receiver));
    }

    /// <summary>Whether one object could be both a <paramref name="type"/> and a <paramref name="bound"/>, as far as the patched types go.</summary>
    private static bool Compatible(PatchedType type, TypeReference bound)
    {
        if (bound is GenericParameter)
        {
            // T : U: what U may be is U's business; assume the worst.
            return true;
        }

        return type.Supertypes.Contains(SignatureKey.ElementName(bound)) || (Hierarchy.Supertypes(bound)?.Contains(type.Name) ?? true);
    }

    private static TypeReference Unref(TypeReference type) => type is ByReferenceType byReference ? byReference.ElementType : type;

    /// <summary>A patched class or struct, with the names of everything it is (itself, its bases, its interfaces).</summary>
    private sealed class PatchedType(string name, bool isValueType, ISet<string> supertypes)
    {
        public string Name { get; } = name;

        public bool IsValueType { get; } = isValueType;

        public ISet<string> Supertypes { get; } = supertypes;

        /// <summary>Null for an interface; a type that cannot be resolved is known only by its name.</summary>
        public static PatchedType? Of(string name, TypeReference reference)
        {
            var definition = Hierarchy.Resolve(reference);
            if (definition is { IsInterface: true })
            {
                return null;
            }

            return new PatchedType(name, definition?.IsValueType ?? reference.IsValueType, Hierarchy.Supertypes(reference) ?? new HashSet<string> { name });
        }
    }

    /// <summary>Type hierarchies by name (never by assembly, as everywhere in the engine).</summary>
    private static class Hierarchy
    {
        public static TypeDefinition? Resolve(TypeReference type)
        {
            try
            {
                return type.Resolve();
            }
            catch (AssemblyResolutionException)
            {
                return null;
            }
        }

        /// <summary>The element names of <paramref name="type"/>, its base types and all its interfaces; null when part of it cannot be resolved.</summary>
        public static ISet<string>? Supertypes(TypeReference type)
        {
            var names = new HashSet<string>();
            var pending = new Stack<TypeReference>();
            pending.Push(type);
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                if (!names.Add(SignatureKey.ElementName(current)))
                {
                    continue;
                }

                if (Resolve(current) is not { } definition)
                {
                    return null;
                }

                if (definition.BaseType is { } baseType)
                {
                    pending.Push(baseType);
                }

                foreach (var implemented in definition.Interfaces)
                {
                    pending.Push(implemented.InterfaceType);
                }
            }

            return names;
        }
    }
}
