using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// A value type's <c>this</c> on the evaluation stack at a call of one of its instance methods, or the address of a
/// field of it (<c>ldarg.0; ldflda F</c>, nested fields too), pushed again on resume by the instructions that pushed it
/// instead of being kept. Sound because such a method is resumed only through a caller that took its receiver again
/// (<see cref="RetakenStack"/>: the caller's own local, or this rule one frame up), so <c>ldarg.0</c> yields the same
/// storage after a resume as before; and only where the method never stores to its argument 0 nor takes its address,
/// so that nothing else can make <c>ldarg.0</c> point elsewhere. Straight-line code only, as the other rules.
/// </summary>
internal static class ValueTypeThis
{
    /// <summary>Whether <paramref name="method"/> is a value type's instance method whose <c>this</c> may be taken again.</summary>
    public static bool CanBeTakenAgain(MethodDefinition method) =>
        method is { HasThis: true, HasBody: true, DeclaringType.IsValueType: true }
        && !method.Body.Instructions.Any(i => i.OpCode.Code is Code.Starg or Code.Starg_S or Code.Ldarga or Code.Ldarga_S && i.Operand == method.Body.ThisParameter);

    /// <summary>
    /// The instructions that push again the item <paramref name="fromTop"/> places below the top of the stack before
    /// <paramref name="call"/> (0: the top), when it is <c>this</c> or a field address of it; null otherwise.
    /// <paramref name="targets"/> are the method's branch targets (<see cref="ReceiverLocal.BranchTargets"/>).
    /// </summary>
    public static Instruction[]? Pushes(MethodDefinition method, Instruction call, int fromTop, ISet<Instruction> targets) =>
        Trace(method, call.Previous, fromTop + 1, targets);

    /// <summary>Walks back from <paramref name="from"/> to what pushed the item <paramref name="want"/> items down (1: the top).</summary>
    private static Instruction[]? Trace(MethodDefinition method, Instruction? from, int want, ISet<Instruction> targets)
    {
        for (var instruction = from; instruction is not null; instruction = instruction.Previous)
        {
            if (targets.Contains(instruction.Next) || instruction.OpCode.FlowControl is not (FlowControl.Next or FlowControl.Call))
            {
                return null;
            }

            var pushes = instruction.OpCode.Code == Code.Dup ? 2 : EvaluationStack.Pushes(instruction) ? 1 : 0;
            if (pushes >= want)
            {
                return instruction.OpCode.Code switch
                {
                    // Either copy is the item dup took.
                    Code.Dup => Trace(method, instruction.Previous, 1, targets),
                    Code.Ldflda => Trace(method, instruction.Previous, 1, targets) is { } owner
                        ? [.. owner, Instruction.Create(OpCodes.Ldflda, (FieldReference)instruction.Operand)]
                        : null,
                    _ when IsThis(method, instruction) => [Instruction.Create(OpCodes.Ldarg, method.Body.ThisParameter)],
                    _ => null,
                };
            }

            want += EvaluationStack.Pops(method, instruction, int.MaxValue) - pushes;
        }

        return null;
    }

    private static bool IsThis(MethodDefinition method, Instruction instruction) =>
        instruction.OpCode.Code == Code.Ldarg_0 || (instruction.OpCode.Code is Code.Ldarg or Code.Ldarg_S && instruction.Operand == method.Body.ThisParameter);
}
