using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// A <c>constrained. T</c> virtual call on a concrete value type <c>T</c> (not a generic parameter) that implements the
/// called member itself: the runtime then calls <c>T</c>'s own method on the byref, exactly as a plain <c>call</c> of it
/// would (ECMA-335 III.2.1), so the site runs that one method and no other override (<c>ldloca e; constrained.
/// List&lt;T&gt;.Enumerator; callvirt IDisposable.Dispose</c> runs the enumerator's <c>Dispose</c>). Where <c>T</c> does
/// not implement the member itself the call boxes and runs <c>Object</c>'s or an interface's default, and is left to the
/// rules for virtual calls.
/// </summary>
internal static class ConstrainedCall
{
    /// <summary>The value type's own method <paramref name="call"/> runs, or null (no <c>constrained.</c> prefix, a generic parameter or a reference type, or a member the type does not implement itself).</summary>
    public static MethodDefinition? Target(Instruction call)
    {
        if (call.OpCode.Code != Code.Callvirt || call.Previous is not { OpCode.Code: Code.Constrained, Operand: TypeReference constraint }
            || constraint.IsGenericParameter || call.Operand is not MethodReference callee
            || Resolution.OrNull(constraint.Resolve) is not { IsValueType: true } type || Resolution.OrNull(callee.Resolve) is not { } declared)
        {
            return null;
        }

        var explicitly = type.Methods.Where(m => m.Overrides.Any(o => Resolution.OrNull(o.Resolve) is { } overridden && CallGraph.Key(overridden) == CallGraph.Key(declared))).ToList();
        if (explicitly.Count > 0)
        {
            return explicitly.Count == 1 ? explicitly[0] : null;
        }

        // An implicit implementation or override: by name and shape; two candidates (IEquatable<T>.Equals beside
        // Equals(object)) are not told apart, and the call is left to the rules for virtual calls.
        var implicitly = type.Methods.Where(m => m.IsVirtual && m.Name == declared.Name
            && m.Parameters.Count == declared.Parameters.Count && m.GenericParameters.Count == declared.GenericParameters.Count
            && (declared.DeclaringType.IsInterface
                ? m.IsPublic && type.Interfaces.Any(i => i.InterfaceType.GetElementType().FullName == declared.DeclaringType.FullName)
                : !m.IsNewSlot)).ToList();
        return implicitly.Count == 1 ? implicitly[0] : null;
    }

    /// <summary>
    /// Whether <paramref name="call"/> is a <c>constrained.</c> call on an enum (<c>"state " + state</c>, <c>ldarga value;
    /// constrained. ConnectorState; callvirt Object::ToString</c>): an enum declares no methods and implements no
    /// interface (ECMA-335 II.14.3), so the call boxes it and runs <c>System.Enum</c>'s method, which never runs code of
    /// the set.
    /// </summary>
    public static bool OnEnum(Instruction call) =>
        call.OpCode.Code == Code.Callvirt && call.Previous is { OpCode.Code: Code.Constrained, Operand: TypeReference constraint }
        && !constraint.IsGenericParameter && Resolution.OrNull(constraint.Resolve) is { IsEnum: true };

    /// <summary>The type <paramref name="call"/> is constrained to, where <see cref="Target"/> resolves it; else null.</summary>
    public static TypeReference? ReceiverType(Instruction call) =>
        Target(call) is not null ? (TypeReference)call.Previous.Operand : null;
}
