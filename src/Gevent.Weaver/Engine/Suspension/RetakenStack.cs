using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// The byrefs on the evaluation stack at a call that a resumable caller pushes again on resume instead of keeping
/// them, because the same instructions yield the same address then. Three shapes and nothing else: a value type's
/// receiver that is the address of the caller's own local (<see cref="ReceiverLocal"/>), an async method's stub
/// starting its struct state machine, whose builder and state machine both point into the stub's local
/// (<see cref="AsyncBuilderStart"/>) — the local is saved by the caller's frame (its address is taken, so liveness
/// keeps it) and restored before the call is made again — and, in a value type's instance method, its <c>this</c> or a
/// field address of it, anywhere on the stack (<see cref="ValueTypeThis"/>). Any other byref on the stack pins.
/// </summary>
internal static class RetakenStack
{
    /// <summary>
    /// The slots of the stack before <paramref name="call"/> (in <paramref name="method"/>; <paramref name="depth"/>
    /// items, 0 the bottom) taken again, each with the instructions that push it; empty for none.
    /// <paramref name="thisStacks"/> is what <see cref="ValueTypeThis.Stacks"/> found in the method.
    /// </summary>
    public static IReadOnlyDictionary<int, Instruction[]> Of(MethodDefinition method, Instruction call, int depth, Dictionary<Instruction, Instruction[]?[]>? thisStacks)
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

        if (thisStacks is not null && thisStacks.TryGetValue(call, out var items) && items.Length == depth)
        {
            for (var slot = 0; slot < depth; slot++)
            {
                if (!retaken.ContainsKey(slot) && items[slot] is { } pushes)
                {
                    retaken.Add(slot, pushes);
                }
            }
        }

        return retaken;
    }
}
