using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// A value type's <c>this</c> on the evaluation stack at a call in one of its instance methods, or the address of a
/// field of it (<c>ldarg.0; ldflda F</c>, nested fields too), pushed again on resume by the instructions that pushed it
/// instead of being kept. Sound because such a method is resumed only through a caller that took its receiver again
/// (<see cref="RetakenStack"/>: the caller's own local, or this rule one frame up), so <c>ldarg.0</c> yields the same
/// storage after a resume as before; and only where the method never stores to its argument 0 nor takes its address,
/// so that nothing can make <c>ldarg.0</c> point elsewhere. Unlike the rules for a caller's local, paths may meet
/// between the push and the call (<c>this.f = c ? A() : B()</c>): the address does not depend on the path, so an item
/// counts where every path pushed it by the same instructions.
/// </summary>
internal static class ValueTypeThis
{
    /// <summary>
    /// For every reachable instruction of <paramref name="method"/>, the stack before it (bottom first), each item the
    /// instructions that push it again, or null where it is anything else; null for a method whose <c>this</c> cannot be
    /// taken again (not a value type's instance method, or one that stores to its argument 0 or takes its address).
    /// </summary>
    public static Dictionary<Instruction, Instruction[]?[]>? Stacks(MethodDefinition method) =>
        CanBeTakenAgain(method) ? EvaluationStack.Walk<Instruction[]?>(method, null, (instruction, before) => Apply(method, instruction, before), Merge) : null;

    private static bool CanBeTakenAgain(MethodDefinition method) =>
        method is { HasThis: true, HasBody: true, DeclaringType.IsValueType: true }
        && !method.Body.Instructions.Any(i => i.OpCode.Code is Code.Starg or Code.Starg_S or Code.Ldarga or Code.Ldarga_S && i.Operand == method.Body.ThisParameter);

    private static Instruction[]?[] Apply(MethodDefinition method, Instruction instruction, Instruction[]?[] before) =>
        EvaluationStack.After(method, instruction, before, taken => instruction.OpCode.Code switch
        {
            _ when IsThis(method, instruction) => [Instruction.Create(OpCodes.Ldarg, method.Body.ThisParameter)],
            Code.Ldflda when taken[0] is { } owner => [.. owner, Instruction.Create(OpCodes.Ldflda, (FieldReference)instruction.Operand)],
            _ => null,
        });

    private static Instruction[]? Merge(Instruction[]? a, Instruction[]? b) =>
        a is not null && b is not null && a.Length == b.Length && a.Zip(b, Same).All(same => same) ? a : null;

    private static bool Same(Instruction a, Instruction b) =>
        a.OpCode == b.OpCode && (a.Operand == b.Operand || (a.Operand is FieldReference x && b.Operand is FieldReference y && x.FullName == y.FullName));

    private static bool IsThis(MethodDefinition method, Instruction instruction) =>
        instruction.OpCode.Code == Code.Ldarg_0 || (instruction.OpCode.Code is Code.Ldarg or Code.Ldarg_S && instruction.Operand == method.Body.ThisParameter);
}
