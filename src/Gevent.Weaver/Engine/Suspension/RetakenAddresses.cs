using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// Addresses on the evaluation stack at a call that a resumable method can push again on resume, by the instructions
/// that pushed them, instead of keeping them: one of its byref arguments that a resume passes again
/// (<see cref="RetakenByRefArguments"/>: a value type's <c>this</c>, a <c>ref</c> or <c>out</c> parameter), the
/// address of one of its own locals, and the address of a field of either (<c>ldflda F</c>, nested fields too).
/// Such a local is unpinned, not a byref, and its address is never stored nor made an unmanaged pointer
/// (<see cref="EscapingAddresses"/>); the frame saves it wherever the method may suspend, since its address
/// is taken (<see cref="Liveness"/>), and restores it before the call is made again. Paths may meet between the push and
/// the call (<c>this.f = c ? A() : B()</c>): the address does not depend on the path, so an item counts where every path
/// pushed it by the same instructions. Where a local's address may be taken again is for <see cref="RetakenStack"/>.
/// </summary>
internal static class RetakenAddresses
{
    /// <summary>
    /// For every reachable instruction of <paramref name="method"/>, the stack before it (bottom first), each item the
    /// instructions that push it again, or null where it is anything else; null for a method with no such address.
    /// </summary>
    public static Dictionary<Instruction, Instruction[]?[]>? Stacks(MethodDefinition method)
    {
        var arguments = RetakenByRefArguments.Of(method);
        var locals = Locals(method);
        return arguments.Count > 0 || locals.Count > 0
            ? EvaluationStack.Walk<Instruction[]?>(method, null, (instruction, before) => Apply(method, arguments, locals, instruction, before), Merge)
            : null;
    }

    /// <summary>Whether <paramref name="pushes"/> (an item of <see cref="Stacks"/>) is the address of a local or of a field of one.</summary>
    public static bool IsLocal(Instruction[] pushes) => TrackedRefStructLocals.AddressOf(pushes[0]) is not null;

    private static HashSet<VariableDefinition> Locals(MethodDefinition method)
    {
        if (EscapingAddresses.Of(method.Body) is not { } escaping)
        {
            return [];
        }

        var locals = new HashSet<VariableDefinition>(method.Body.Instructions.Select(TrackedRefStructLocals.AddressOf).OfType<VariableDefinition>().Where(l => !l.IsPinned && !l.VariableType.IsByReference));
        locals.ExceptWith(escaping.Select(TrackedRefStructLocals.AddressOf).OfType<VariableDefinition>());
        return locals;
    }

    private static Instruction[]?[] Apply(MethodDefinition method, ISet<ParameterDefinition> arguments, ISet<VariableDefinition> locals, Instruction instruction, Instruction[]?[] before) =>
        EvaluationStack.After(method, instruction, before, taken => instruction.OpCode.Code switch
        {
            _ when RetakenByRefArguments.Loaded(method, instruction) is { } argument => arguments.Contains(argument) ? [Instruction.Create(OpCodes.Ldarg, argument)] : null,
            _ when TrackedRefStructLocals.AddressOf(instruction) is { } local => locals.Contains(local) ? [Instruction.Create(OpCodes.Ldloca, local)] : null,
            Code.Ldflda when taken[0] is { } owner => [.. owner, Instruction.Create(OpCodes.Ldflda, (FieldReference)instruction.Operand)],
            _ => null,
        });

    private static Instruction[]? Merge(Instruction[]? a, Instruction[]? b) =>
        a is not null && b is not null && a.Length == b.Length && a.Zip(b, Same).All(same => same) ? a : null;

    private static bool Same(Instruction a, Instruction b) =>
        a.OpCode == b.OpCode && (a.Operand == b.Operand || (a.Operand is FieldReference x && b.Operand is FieldReference y && x.FullName == y.FullName));
}
