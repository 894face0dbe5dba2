using System;
using System.Linq;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// Puts other types in place of the generic parameters a type mentions, at any depth (<c>List&lt;T[]&gt;</c>,
/// <c>Dictionary&lt;TKey, List&lt;TValue&gt;&gt;</c>): a callee's parameter types as its caller sees them, a method's
/// local types as its frame class declares them.
/// </summary>
internal static class GenericSubstitution
{
    /// <summary>
    /// <paramref name="type"/> with each generic parameter replaced by what <paramref name="map"/> gives, or null where
    /// <paramref name="map"/> gives null or the type holds one in a form not handled (a function pointer).
    /// </summary>
    public static TypeReference? Apply(TypeReference type, Func<GenericParameter, TypeReference?> map)
    {
        if (!type.ContainsGenericParameter)
        {
            return type;
        }

        switch (type)
        {
            case GenericParameter parameter:
                return map(parameter);
            case GenericInstanceType instance:
                var arguments = instance.GenericArguments.Select(a => Apply(a, map)).ToList();
                if (arguments.Any(a => a is null))
                {
                    return null;
                }

                var result = new GenericInstanceType(instance.ElementType);
                arguments.ForEach(result.GenericArguments.Add);
                return result;
            case ArrayType array:
                return Wrapped(array.ElementType, map, element => array.IsVector ? new ArrayType(element) : new ArrayType(element, array.Rank));
            case ByReferenceType byReference:
                return Wrapped(byReference.ElementType, map, element => new ByReferenceType(element));
            case PointerType pointer:
                return Wrapped(pointer.ElementType, map, element => new PointerType(element));
            case RequiredModifierType required:
                return Wrapped(required.ElementType, map, element => new RequiredModifierType(required.ModifierType, element));
            case OptionalModifierType optional:
                return Wrapped(optional.ElementType, map, element => new OptionalModifierType(optional.ModifierType, element));
            default:
                return null;
        }
    }

    /// <summary>
    /// <paramref name="type"/>, written in <paramref name="callee"/>'s terms, in its caller's: the type parameters of the
    /// callee's declaring type and its method parameters replaced by the type arguments of the reference; null where
    /// the reference gives none.
    /// </summary>
    public static TypeReference? AsCallerSees(TypeReference type, TypeReference owner, MethodReference? callee) => Apply(type, parameter => parameter.Type switch
    {
        GenericParameterType.Type when owner is GenericInstanceType instance && parameter.Position < instance.GenericArguments.Count => instance.GenericArguments[parameter.Position],
        GenericParameterType.Method when callee is GenericInstanceMethod method && parameter.Position < method.GenericArguments.Count => method.GenericArguments[parameter.Position],
        _ => null,
    });

    private static TypeReference? Wrapped(TypeReference element, Func<GenericParameter, TypeReference?> map, Func<TypeReference, TypeReference> wrap) =>
        Apply(element, map) is { } mapped ? wrap(mapped) : null;
}
