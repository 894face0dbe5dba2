using System.Collections.Generic;
using System.Linq;
using Gevent.Patches;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>One catalog line: the original member (by name and signature key) and its replacement.</summary>
public sealed class PatchEntry
{
    internal PatchEntry(string declaringType, string methodName, PatchKind kind, string strategy, MethodDefinition replacement, bool neverWaits)
    {
        NeverWaits = neverWaits;
        DeclaringType = declaringType;
        MethodName = methodName;
        Kind = kind;
        Strategy = strategy;
        Replacement = replacement;
        TypeArity = GenericArity(declaringType);
        HasReceiver = kind is PatchKind.Instance or PatchKind.Virtual
            || (kind == PatchKind.Getter && replacement.Parameters.Count > 0
                && SignatureKey.ElementName(Unref(replacement.Parameters[0].ParameterType)) == declaringType);
        var parameters = replacement.Parameters.Skip(HasReceiver ? 1 : 0).Select(p => SignatureKey.Of(p.ParameterType, TypeArity));
        Member = MemberKey(methodName, replacement.GenericParameters.Count - TypeArity, parameters);
        Key = declaringType + "::" + Member;
    }

    /// <summary>Full name of the original's declaring type (open generic: <c>System.Lazy`1</c>).</summary>
    public string DeclaringType { get; }

    /// <summary>The original method's metadata name (<c>.ctor</c>, <c>get_Value</c>, <c>Read</c>).</summary>
    public string MethodName { get; }

    /// <summary>The original's shape.</summary>
    public PatchKind Kind { get; }

    /// <summary>How the replacement cooperates (the runtime's <c>PatchStrategy</c> name).</summary>
    public string Strategy { get; }

    /// <summary>
    /// Whether the replacement is marked <c>[NeverWaits]</c>: it never parks its greenlet (<c>Dispose</c>, <c>Close</c>,
    /// <c>Monitor.Exit</c>), so its call sites are no points where a greenlet may suspend.
    /// </summary>
    public bool NeverWaits { get; }

    /// <summary>The replacement, as read from its catalog assembly.</summary>
    public MethodDefinition Replacement { get; }

    /// <summary>Whether the replacement's first parameter is the original's receiver.</summary>
    public bool HasReceiver { get; }

    /// <summary>Generic arity of the original's declaring type: the replacement's first generic parameters.</summary>
    public int TypeArity { get; }

    /// <summary>The original's name, method arity and parameter keys, without its type.</summary>
    public string Member { get; }

    /// <summary>The original's identity: type, name, method arity and parameter keys.</summary>
    public string Key { get; }

    /// <summary>The original, for people: <c>System.Threading.Thread::Sleep(System.Int32)</c>.</summary>
    public string OriginalDisplayName => Key;

    /// <summary>The replacement, for people.</summary>
    public string ReplacementDisplayName => $"{Replacement.DeclaringType.FullName}::{Replacement.Name}";

    internal static string MemberKey(string methodName, int methodArity, IEnumerable<string> parameterKeys) =>
        $"{methodName}{(methodArity > 0 ? "`" + methodArity : "")}({string.Join(",", parameterKeys)})";

    private static int GenericArity(string typeName)
    {
        var tick = typeName.LastIndexOf('`');
        return tick >= 0 && int.TryParse(typeName.Substring(tick + 1), out var arity) ? arity : 0;
    }

    private static TypeReference Unref(TypeReference type) => type is ByReferenceType byReference ? byReference.ElementType : type;
}
