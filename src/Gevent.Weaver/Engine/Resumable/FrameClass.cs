using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// The class a rewritten method saves its frame in, nested in the method's type: <c>&lt;M&gt;d__FrameN : ResumableFrame</c>.
/// For a generic method, or a method of a generic type, it is generic over the type's parameters then the method's
/// (constraints copied), as Roslyn makes an async state machine: its fields are declared over its own parameters, and
/// the method refers to it instantiated over the method's, so one class serves every instantiation.
/// </summary>
internal sealed class FrameClass
{
    // GenericParameterAttributes.AllowByRefLike (C# 13's "allows ref struct"), which this Cecil does not name.
    private const GenericParameterAttributes AllowByRefLike = (GenericParameterAttributes)0x20;

    private readonly TypeDefinition _definition;
    private readonly int _typeParameters;
    private readonly string _method;

    public FrameClass(MethodDefinition method, FrameContract contract)
    {
        var owner = method.DeclaringType;
        _method = method.FullName;
        var arity = method.HasGenericParameters ? "`" + method.GenericParameters.Count : string.Empty;
        _definition = new TypeDefinition(string.Empty, $"<{method.Name}>d__Frame{owner.NestedTypes.Count}{arity}", TypeAttributes.NestedPrivate | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class, contract.ResumableFrame);
        _typeParameters = owner.GenericParameters.Count;
        var sources = owner.GenericParameters.Concat(method.GenericParameters).ToList();
        foreach (var source in sources)
        {
            // A class's parameters have no variance (only an interface's or a delegate's do).
            _definition.GenericParameters.Add(new GenericParameter(source.Name, _definition) { Attributes = source.Attributes & ~GenericParameterAttributes.VarianceMask });
        }

        for (var i = 0; i < sources.Count; i++)
        {
            foreach (var constraint in sources[i].Constraints)
            {
                _definition.GenericParameters[i].Constraints.Add(new GenericParameterConstraint(Own(constraint.ConstraintType)));
            }
        }

        if (sources.Count == 0)
        {
            Instance = _definition;
        }
        else
        {
            var instance = new GenericInstanceType(_definition);
            sources.ForEach(instance.GenericArguments.Add);
            Instance = instance;
        }

        var constructor = new MethodDefinition(".ctor", MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName, method.Module.TypeSystem.Void);
        var il = constructor.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, contract.FrameConstructor);
        il.Emit(OpCodes.Ret);
        _definition.Methods.Add(constructor);
        Constructor = sources.Count == 0 ? constructor : new MethodReference(".ctor", method.Module.TypeSystem.Void, Instance) { HasThis = true };
        owner.NestedTypes.Add(_definition);
    }

    /// <summary>The frame class as the rewritten method names it: instantiated over the method's generic parameters, if any.</summary>
    public TypeReference Instance { get; }

    /// <summary>The frame class's constructor, on <see cref="Instance"/>.</summary>
    public MethodReference Constructor { get; }

    /// <summary>
    /// Whether the frame class can be generic over <paramref name="method"/>'s parameters: not where one may be a ref
    /// struct, which no class can hold in a field.
    /// </summary>
    public static bool CanBeGenericOver(MethodDefinition method) =>
        method.DeclaringType.GenericParameters.Concat(method.GenericParameters).All(p => (p.Attributes & AllowByRefLike) == 0);

    /// <summary>Whether a frame can keep a value of <paramref name="type"/>, a type of the method's signature or locals.</summary>
    public static bool CanHold(TypeReference type) => !type.IsByReference && GenericSubstitution.Apply(type, p => p) is not null;

    /// <summary>Adds a public field for a value of <paramref name="type"/> (in the method's terms); the field as the method refers to it.</summary>
    public FieldReference AddField(string name, TypeReference type)
    {
        var field = new FieldDefinition(name, FieldAttributes.Public, Own(type));
        _definition.Fields.Add(field);
        return Instance == _definition ? field : new FieldReference(name, field.FieldType, Instance);
    }

    /// <summary><paramref name="type"/>, written over the method's and its type's generic parameters, over the frame class's own.</summary>
    private TypeReference Own(TypeReference type) =>
        GenericSubstitution.Apply(type, p => _definition.GenericParameters[p.Type == GenericParameterType.Type ? p.Position : _typeParameters + p.Position])
        ?? throw new WeavingException($"The frame of {_method} cannot hold a {type.FullName}.");
}
