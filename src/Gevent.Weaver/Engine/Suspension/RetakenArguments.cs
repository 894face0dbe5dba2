using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// The byref arguments of a call that a resumable caller pushes again on resume instead of keeping them: addresses
/// into the caller's own local, which its frame saves (the address is taken, so liveness keeps the local) and restores
/// before the call is made again. Two shapes and nothing else: a value type's receiver that is the local's address
/// (<see cref="ReceiverLocal"/>), and an async method's stub starting its struct state machine, whose builder and state
/// machine both point into the stub's local (<see cref="AsyncBuilderStart"/>). Any other byref on the stack pins.
/// </summary>
internal static class RetakenArguments
{
    private static readonly IReadOnlyDictionary<int, Instruction[]> s_none = new Dictionary<int, Instruction[]>();

    /// <summary>
    /// The arguments of <paramref name="call"/> (in <paramref name="method"/>) taken again, by position (0: the
    /// receiver, or the first argument of a static method), each with the instructions that push it; empty for none.
    /// </summary>
    public static IReadOnlyDictionary<int, Instruction[]> Of(MethodDefinition method, Instruction call)
    {
        if (ReceiverLocal.Of(method, call) is { } local)
        {
            return new Dictionary<int, Instruction[]> { [0] = [Instruction.Create(OpCodes.Ldloca, local)] };
        }

        return AsyncBuilderStart.Pushes(method, call) is { } start
            ? new Dictionary<int, Instruction[]> { [0] = start.Builder, [1] = start.StateMachine }
            : s_none;
    }
}
