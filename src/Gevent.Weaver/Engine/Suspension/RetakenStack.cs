using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// The byrefs on the evaluation stack at a call that a resumable caller pushes again on resume instead of keeping
/// them, because the same instructions yield the same address then. Four shapes and nothing else: a value type's
/// receiver that is the address of the caller's own local (<see cref="ReceiverLocal"/>); an async method's stub
/// starting its struct state machine, whose builder and state machine both point into the stub's local
/// (<see cref="AsyncBuilderStart"/>); an argument for a byref parameter (<c>ref</c>, <c>out</c>, <c>in</c>) that is the
/// address of the caller's own local or of a field of it — each local saved by the caller's frame (its address is taken,
/// so liveness keeps it) and restored before the call is made again; and, anywhere on the stack, one of the method's
/// own byref arguments a resume passes again (a value type's <c>this</c>, a byref parameter) or a field address of it
/// (<see cref="RetakenAddresses"/>). Any other byref on the stack pins: a field of an object, an array element, a
/// local's address below the arguments or as a receiver the straight-line rule does not find.
/// </summary>
internal static class RetakenStack
{
    /// <summary>
    /// The slots of the stack before <paramref name="call"/> (in <paramref name="method"/>; <paramref name="depth"/>
    /// items, 0 the bottom) taken again, each with the instructions that push it; empty for none.
    /// <paramref name="addresses"/> is what <see cref="RetakenAddresses.Stacks"/> found in the method.
    /// </summary>
    public static IReadOnlyDictionary<int, Instruction[]> Of(MethodDefinition method, Instruction call, int depth, Dictionary<Instruction, Instruction[]?[]>? addresses)
    {
        var first = depth - EvaluationStack.Arguments(call);
        var retaken = new Dictionary<int, Instruction[]>();
        if (ReceiverLocal.Of(method, call) is { } local)
        {
            retaken.Add(first, [Instruction.Create(OpCodes.Ldloca, local)]);
        }
        else if (AsyncBuilderStart.Pushes(method, call) is { } start)
        {
            retaken.Add(first, start.Builder);
            retaken.Add(first + 1, start.StateMachine);
        }

        if (addresses is not null && addresses.TryGetValue(call, out var items) && items.Length == depth)
        {
            var byRefSlots = ByRefParameterSlots(call, first);
            for (var slot = 0; slot < depth; slot++)
            {
                if (!retaken.ContainsKey(slot) && items[slot] is { } pushes && (!RetakenAddresses.IsLocal(pushes) || byRefSlots.Contains(slot)))
                {
                    retaken.Add(slot, pushes);
                }
            }
        }

        return retaken;
    }

    /// <summary>The stack slots of <paramref name="call"/>'s arguments (the first at <paramref name="first"/>) that its byref parameters take.</summary>
    private static HashSet<int> ByRefParameterSlots(Instruction call, int first)
    {
        if (call.Operand is not MethodReference callee)
        {
            return [];
        }

        var receiver = callee.HasThis && !callee.ExplicitThis && call.OpCode.Code != Code.Newobj ? 1 : 0;
        return [.. callee.Parameters.Where(p => p.ParameterType.IsByReference).Select(p => first + receiver + p.Index)];
    }
}
