using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// Builds the reference to a replacement inside the module being patched. Types of the catalog's own
/// assembly are referenced through it; every other type is taken from the call site's own signature or
/// the module's existing type references — never imported from the catalog's view of the BCL, which
/// would add references to assemblies (e.g. <c>System.Private.CoreLib</c>) the module does not use.
/// </summary>
internal sealed class ReplacementImporter
{
    private readonly ModuleDefinition _module;
    private readonly Dictionary<string, TypeReference> _moduleTypes;

    public ReplacementImporter(ModuleDefinition module)
    {
        _module = module;
        _moduleTypes = new Dictionary<string, TypeReference>();
        foreach (var type in module.GetTypeReferences())
        {
            _moduleTypes[type.FullName] = type;
        }
    }

    /// <summary>The operand that replaces <paramref name="callee"/>, or null when a type cannot be expressed.</summary>
    public MethodReference? Import(PatchEntry entry, MethodReference callee)
    {
        var known = new Dictionary<string, TypeReference>(_moduleTypes);
        foreach (var type in SignatureTypes(callee))
        {
            known[type.FullName] = type;
        }

        var replacement = entry.Replacement;
        var reference = new MethodReference(replacement.Name, _module.TypeSystem.Void, CatalogType(replacement.DeclaringType));
        foreach (var parameter in replacement.GenericParameters)
        {
            reference.GenericParameters.Add(new GenericParameter(parameter.Name, reference));
        }

        var returnType = Map(replacement.ReturnType, reference, known);
        if (returnType is null)
        {
            return null;
        }

        reference.ReturnType = returnType;
        foreach (var parameter in replacement.Parameters)
        {
            var type = Map(parameter.ParameterType, reference, known);
            if (type is null)
            {
                return null;
            }

            reference.Parameters.Add(new ParameterDefinition(type));
        }

        if (!replacement.HasGenericParameters)
        {
            return reference;
        }

        // The declaring type's arguments come first, then the method's own (PatchAttribute's contract).
        var instance = new GenericInstanceMethod(reference);
        var arguments = (callee.DeclaringType as GenericInstanceType)?.GenericArguments ?? Enumerable.Empty<TypeReference>();
        if (callee is GenericInstanceMethod genericCallee)
        {
            arguments = arguments.Concat(genericCallee.GenericArguments);
        }

        foreach (var argument in arguments)
        {
            instance.GenericArguments.Add(argument);
        }

        return instance.GenericArguments.Count == replacement.GenericParameters.Count ? instance : null;
    }

    private TypeReference? Map(TypeReference type, MethodReference owner, Dictionary<string, TypeReference> known)
    {
        switch (type)
        {
            case GenericParameter { Type: GenericParameterType.Method } parameter:
                return owner.GenericParameters[parameter.Position];
            case ByReferenceType byReference:
                return Wrap(byReference, owner, known, e => new ByReferenceType(e));
            case PointerType pointer:
                return Wrap(pointer, owner, known, e => new PointerType(e));
            case ArrayType array:
                return Wrap(array, owner, known, e => new ArrayType(e, array.Rank));
            case GenericInstanceType instance:
                if (Map(instance.ElementType, owner, known) is not { } open)
                {
                    return null;
                }

                var mapped = new GenericInstanceType(open);
                foreach (var argument in instance.GenericArguments)
                {
                    if (Map(argument, owner, known) is not { } mappedArgument)
                    {
                        return null;
                    }

                    mapped.GenericArguments.Add(mappedArgument);
                }

                return mapped;
            case RequiredModifierType required:
                return Map(required.ModifierType, owner, known) is { } requiredModifier && Map(required.ElementType, owner, known) is { } requiredElement
                    ? new RequiredModifierType(requiredModifier, requiredElement)
                    : null;
            case OptionalModifierType optional:
                return Map(optional.ModifierType, owner, known) is { } optionalModifier && Map(optional.ElementType, owner, known) is { } optionalElement
                    ? new OptionalModifierType(optionalModifier, optionalElement)
                    : null;
            case GenericParameter:
                return null;
        }

        if (Primitive(type) is { } primitive)
        {
            return primitive;
        }

        if (known.TryGetValue(type.FullName, out var existing))
        {
            return existing;
        }

        // Defined by the catalog itself (a cooperative subclass a factory returns, for example).
        return type is TypeDefinition || type.Scope is ModuleDefinition ? CatalogType(type) : null;
    }

    private TypeReference? Wrap(TypeSpecification type, MethodReference owner, Dictionary<string, TypeReference> known, Func<TypeReference, TypeReference> wrap) =>
        Map(type.ElementType, owner, known) is { } element ? wrap(element) : null;

    /// <summary>The module's own reference to a primitive (its core library decides the scope).</summary>
    private TypeReference? Primitive(TypeReference type) => type.MetadataType switch
    {
        MetadataType.Void => _module.TypeSystem.Void,
        MetadataType.Boolean => _module.TypeSystem.Boolean,
        MetadataType.Char => _module.TypeSystem.Char,
        MetadataType.SByte => _module.TypeSystem.SByte,
        MetadataType.Byte => _module.TypeSystem.Byte,
        MetadataType.Int16 => _module.TypeSystem.Int16,
        MetadataType.UInt16 => _module.TypeSystem.UInt16,
        MetadataType.Int32 => _module.TypeSystem.Int32,
        MetadataType.UInt32 => _module.TypeSystem.UInt32,
        MetadataType.Int64 => _module.TypeSystem.Int64,
        MetadataType.UInt64 => _module.TypeSystem.UInt64,
        MetadataType.Single => _module.TypeSystem.Single,
        MetadataType.Double => _module.TypeSystem.Double,
        MetadataType.String => _module.TypeSystem.String,
        MetadataType.IntPtr => _module.TypeSystem.IntPtr,
        MetadataType.UIntPtr => _module.TypeSystem.UIntPtr,
        MetadataType.Object => _module.TypeSystem.Object,
        MetadataType.TypedByReference => _module.TypeSystem.TypedReference,
        _ => null,
    };

    /// <summary>A type defined in a catalog assembly, referenced through that assembly.</summary>
    private TypeReference CatalogType(TypeReference type)
    {
        var definition = type.Resolve();
        var scope = CatalogScope(definition.Module.Assembly.Name);
        var reference = new TypeReference(definition.Namespace, definition.Name, _module, scope, definition.IsValueType);
        if (definition.DeclaringType is { } outer)
        {
            reference.DeclaringType = CatalogType(outer);
        }

        return reference;
    }

    private AssemblyNameReference CatalogScope(AssemblyNameDefinition name)
    {
        var existing = _module.AssemblyReferences.FirstOrDefault(r => r.Name == name.Name);
        if (existing is not null)
        {
            return existing;
        }

        var added = new AssemblyNameReference(name.Name, name.Version) { PublicKeyToken = name.PublicKeyToken, Culture = name.Culture };
        _module.AssemblyReferences.Add(added);
        return added;
    }

    /// <summary>Every named type in the call site's signature: the module's own references to them.</summary>
    private static IEnumerable<TypeReference> SignatureTypes(MethodReference callee)
    {
        var roots = new List<TypeReference> { callee.DeclaringType, callee.ReturnType };
        roots.AddRange(callee.Parameters.Select(p => p.ParameterType));
        if (callee is GenericInstanceMethod generic)
        {
            roots.AddRange(generic.GenericArguments);
        }

        var pending = new Stack<TypeReference>(roots);
        while (pending.Count > 0)
        {
            var type = pending.Pop();
            switch (type)
            {
                case GenericInstanceType instance:
                    pending.Push(instance.ElementType);
                    foreach (var argument in instance.GenericArguments)
                    {
                        pending.Push(argument);
                    }

                    break;
                case TypeSpecification specification:
                    pending.Push(specification.ElementType);
                    break;
                case GenericParameter:
                    break;
                default:
                    yield return type;
                    break;
            }
        }
    }
}
