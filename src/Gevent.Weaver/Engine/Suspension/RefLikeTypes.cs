using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>Classifies types as a heap frame could or could not hold them, resolving each ref-struct question once.</summary>
internal sealed class RefLikeTypes
{
    private readonly Dictionary<string, bool> _byRefLike = new();

    /// <summary>The kind of a value of <paramref name="type"/>.</summary>
    public StackItemKind KindOf(TypeReference type)
    {
        switch (type)
        {
            case ByReferenceType:
                return StackItemKind.ByRef;
            case PinnedType pinned:
                return KindOf(pinned.ElementType);
            case IModifierType modified:
                return KindOf(modified.ElementType);
            case GenericParameter or PointerType or ArrayType:
                return StackItemKind.Value;
        }

        return IsByRefLike(type) ? StackItemKind.RefStruct : StackItemKind.Value;
    }

    private bool IsByRefLike(TypeReference type)
    {
        var element = type is GenericInstanceType generic ? generic.ElementType : type;
        var key = element.FullName + "@" + element.Scope?.Name;
        if (!_byRefLike.TryGetValue(key, out var result))
        {
            // A type whose assembly cannot be found is taken for a plain value: the report may miss its pin.
            result = Resolution.OrNull(element.Resolve) is { IsValueType: true } definition
                && definition.HasCustomAttributes
                && definition.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.IsByRefLikeAttribute");
            _byRefLike.Add(key, result);
        }

        return result;
    }
}
