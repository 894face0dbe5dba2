using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// The opt-out: <c>[Gevent.SkipWeaving]</c> on a method, a type or the assembly leaves that code as compiled.
/// The attribute is matched by full name, so code declares its own (internal, no reference to anything), as
/// with Fody weavers' usual opt-outs. A skipped method takes the code the compiler generated for it along
/// (lambdas, local functions, its async or iterator state machine); a skipped type its nested types. Every
/// use of the attribute is removed from the woven module: it means nothing at run time.
/// </summary>
internal sealed class SkipWeaving
{
    /// <summary>Full name of the opt-out attribute.</summary>
    public const string AttributeName = "Gevent.SkipWeavingAttribute";

    private const string CompilerGeneratedPrefix = "<";

    private readonly bool _assembly;
    private readonly HashSet<TypeDefinition> _types = new();
    private readonly HashSet<MethodDefinition> _methods = new();

    private SkipWeaving(ModuleDefinition module)
    {
        _assembly = Has(module.Assembly);
        foreach (var type in module.GetTypes())
        {
            if (Has(type))
            {
                _types.Add(type);
            }

            foreach (var method in type.Methods.Where(Has))
            {
                _methods.Add(method);
                if (StateMachine(method) is { } machine)
                {
                    _types.Add(machine);
                }
            }
        }
    }

    /// <summary>Reads the opt-outs of <paramref name="module"/>.</summary>
    public static SkipWeaving Read(ModuleDefinition module) => new(module);

    /// <summary>Whether <paramref name="method"/> is left as compiled.</summary>
    public bool Skips(MethodDefinition method)
    {
        if (_assembly || _methods.Contains(method) || IsGeneratedFor(method))
        {
            return true;
        }

        for (var type = method.DeclaringType; type is not null; type = type.DeclaringType)
        {
            if (_types.Contains(type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Removes every use of the attribute from <paramref name="module"/>.</summary>
    public static void Remove(ModuleDefinition module)
    {
        RemoveFrom(module.Assembly);
        foreach (var type in module.GetTypes())
        {
            RemoveFrom(type);
            foreach (var method in type.Methods)
            {
                RemoveFrom(method);
            }
        }
    }

    /// <summary>A lambda or local function the compiler made from a skipped method's body: <c>&lt;Name&gt;b__0_0</c>, <c>&lt;Name&gt;g__Local|0_0</c>.</summary>
    private bool IsGeneratedFor(MethodDefinition method) =>
        method.Name.StartsWith(CompilerGeneratedPrefix, System.StringComparison.Ordinal)
        && _methods.Any(m => method.Name.StartsWith(CompilerGeneratedPrefix + m.Name + ">", System.StringComparison.Ordinal) && Encloses(m.DeclaringType, method.DeclaringType));

    private static bool Encloses(TypeDefinition outer, TypeDefinition? type)
    {
        for (; type is not null; type = type.DeclaringType)
        {
            if (type == outer)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The state machine type an async method or iterator keeps its body in.</summary>
    private static TypeDefinition? StateMachine(MethodDefinition method) =>
        method.CustomAttributes
            .Where(a => a.AttributeType.Namespace == "System.Runtime.CompilerServices" && a.AttributeType.Name.EndsWith("StateMachineAttribute", System.StringComparison.Ordinal))
            .Select(a => a.ConstructorArguments.FirstOrDefault().Value as TypeReference)
            .Select(t => t?.Resolve())
            .FirstOrDefault(t => t is not null);

    private static bool Has(ICustomAttributeProvider provider) =>
        provider.HasCustomAttributes && provider.CustomAttributes.Any(IsSkipWeaving);

    private static void RemoveFrom(ICustomAttributeProvider provider)
    {
        if (!provider.HasCustomAttributes)
        {
            return;
        }

        foreach (var attribute in provider.CustomAttributes.Where(IsSkipWeaving).ToList())
        {
            provider.CustomAttributes.Remove(attribute);
        }
    }

    private static bool IsSkipWeaving(CustomAttribute attribute) => attribute.AttributeType.FullName == AttributeName;
}
