using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// A call of an async method builder's <c>Start&lt;TStateMachine&gt;</c>, with which the compiler's stub of an async
/// method runs its state machine's <c>MoveNext</c>. Only the BCL's builders, whose <c>Start</c> does nothing but run
/// <c>MoveNext</c> between saving and restoring the thread's contexts, which the runtime's resumable start does too
/// (<c>Gevent.CompilerServices.AsyncStateMachineStart</c>): the resumable frames call that one instead.
/// </summary>
internal static class AsyncBuilderStart
{
    private static readonly HashSet<string> s_builders =
    [
        "System.Runtime.CompilerServices.AsyncTaskMethodBuilder", "System.Runtime.CompilerServices.AsyncTaskMethodBuilder`1",
        "System.Runtime.CompilerServices.AsyncValueTaskMethodBuilder", "System.Runtime.CompilerServices.AsyncValueTaskMethodBuilder`1",
        "System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder", "System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder`1",
        "System.Runtime.CompilerServices.AsyncVoidMethodBuilder",
    ];

    /// <summary>The state machine type <paramref name="callee"/> starts, if it is a BCL builder's <c>Start</c>; otherwise null.</summary>
    public static TypeReference? StateMachine(MethodReference callee) =>
        callee is GenericInstanceMethod { Name: "Start", HasThis: true, GenericArguments.Count: 1 } start
        && s_builders.Contains(callee.DeclaringType.GetElementType().FullName)
            ? start.GenericArguments[0]
            : null;

    /// <summary>
    /// The stub's own shape at <paramref name="call"/>, as the compiler emits it for a struct state machine:
    /// <c>ldloca L; ldflda &lt;&gt;t__builder; ldloca L; call Builder::Start&lt;TStateMachine&gt;(ref TStateMachine)</c>, straight-line,
    /// <c>L</c> an unpinned local of the state machine's type: the instructions that push the builder and the state machine,
    /// each a byref into <c>L</c>. Null for any other shape.
    /// </summary>
    public static (Instruction[] Builder, Instruction[] StateMachine)? Pushes(MethodDefinition method, Instruction call)
    {
        if (call.OpCode.Code != Code.Call || call.Operand is not MethodReference callee || StateMachine(callee) is not { } machine
            || call.Previous is not { } machineAddress || machineAddress.Previous is not { } field || field.Previous is not { } builderAddress
            || field.OpCode.Code != Code.Ldflda || ((FieldReference)field.Operand).DeclaringType.FullName != machine.FullName
            || Local(builderAddress) is not { IsPinned: false } local || Local(machineAddress) != local
            || local.VariableType.FullName != machine.FullName || Resolution.OrNull(local.VariableType.Resolve) is not { IsValueType: true })
        {
            return null;
        }

        var targets = ReceiverLocal.BranchTargets(method);
        return targets.Contains(field) || targets.Contains(machineAddress) || targets.Contains(call)
            ? null
            : ([builderAddress, field], [machineAddress]);
    }

    private static VariableDefinition? Local(Instruction instruction) =>
        instruction.OpCode.Code is Code.Ldloca or Code.Ldloca_S ? (VariableDefinition)instruction.Operand : null;
}
