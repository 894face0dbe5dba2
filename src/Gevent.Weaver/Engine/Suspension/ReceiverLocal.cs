using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// The local whose address a call of a value type's instance method takes for its <c>this</c> (<c>ldloca L</c>, then
/// the arguments, then the call, in straight-line code; a <c>constrained.</c> call that runs the type's own method
/// too, <see cref="ConstrainedCall"/>): such a receiver can be taken again on resume instead of
/// being kept, since the local is saved in the caller's frame and the callee saves nothing of its <c>this</c>; the
/// catalog's replacement of such a method takes the local's address as its first, byref parameter (an awaiter's
/// <c>GetResult</c>), and is never linked, so nothing is captured at it. The
/// struct's storage is the caller's own local, which no other frame can point into once the stack unwinds (a byref
/// kept elsewhere — a <c>ref</c> local, a byref below the arguments, a byref parameter — pins on its own).
/// </summary>
internal static class ReceiverLocal
{
    /// <summary>The local whose address <paramref name="call"/> (in <paramref name="method"/>) takes for its value-type receiver, or null.</summary>
    public static VariableDefinition? Of(MethodDefinition method, Instruction call) => (VariableDefinition?)Address(method, call)?.Operand;

    /// <summary>The <c>ldloca</c> that pushes <paramref name="call"/>'s value-type receiver (a local of <paramref name="method"/>), or null.</summary>
    public static Instruction? Address(MethodDefinition method, Instruction call)
    {
        // A constrained call that runs the value type's own method takes its receiver as a call of that method does.
        var constrained = ConstrainedCall.ReceiverType(call);
        if (call.OpCode.Code is not (Code.Call or Code.Callvirt) || (call.Previous?.OpCode.OpCodeType == OpCodeType.Prefix && constrained is null)
            || call.Operand is not MethodReference callee || (constrained ?? ReceiverType(callee)) is not { } receiverType
            || Resolution.OrNull(receiverType.Resolve) is not { IsValueType: true })
        {
            return null;
        }

        var targets = BranchTargets(method);
        var want = EvaluationStack.Arguments(call);
        for (var instruction = constrained is null ? call.Previous : call.Previous!.Previous; instruction is not null; instruction = instruction.Previous)
        {
            if (targets.Contains(instruction.Next) || instruction.OpCode.FlowControl is not (FlowControl.Next or FlowControl.Call))
            {
                return null;
            }

            var pushes = instruction.OpCode.Code == Code.Dup ? 2 : EvaluationStack.Pushes(instruction) ? 1 : 0;
            if (pushes >= want)
            {
                return pushes == 1 && Local(instruction) is { IsPinned: false } local && local.VariableType.GetElementType().FullName == receiverType.GetElementType().FullName ? instruction : null;
            }

            want += EvaluationStack.Pops(method, instruction, int.MaxValue) - pushes;
        }

        return null;
    }

    /// <summary>An instance method's declaring type; for a static method taking a byref first (the catalog's replacement of a struct's instance method, <c>GetResult(ref TaskAwaiter)</c>), that parameter's type.</summary>
    private static TypeReference? ReceiverType(MethodReference callee) =>
        callee.HasThis ? callee.DeclaringType
        : callee.Parameters.Count > 0 && callee.Parameters[0].ParameterType is ByReferenceType byReference ? byReference.ElementType
        : null;

    private static VariableDefinition? Local(Instruction instruction) => instruction.OpCode.Code switch
    {
        Code.Ldloca or Code.Ldloca_S => (VariableDefinition)instruction.Operand,
        _ => null,
    };

    /// <summary>Every instruction a branch, a switch or an exception handler may enter at.</summary>
    internal static HashSet<Instruction> BranchTargets(MethodDefinition method)
    {
        var targets = new HashSet<Instruction>();
        foreach (var instruction in method.Body.Instructions)
        {
            if (instruction.Operand is Instruction target)
            {
                targets.Add(target);
            }
            else if (instruction.Operand is Instruction[] cases)
            {
                targets.UnionWith(cases);
            }
        }

        foreach (var handler in method.Body.ExceptionHandlers)
        {
            targets.UnionWith(new[] { handler.TryStart, handler.HandlerStart, handler.FilterStart }.OfType<Instruction>());
        }

        return targets;
    }
}
