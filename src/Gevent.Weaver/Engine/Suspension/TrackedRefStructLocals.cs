using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// The ref-struct locals of a body (C#'s interpolated string handler, a <c>Span&lt;T&gt;</c>…) whose liveness
/// <see cref="Liveness"/> finds exactly, instead of taking a local whose address is taken to be live everywhere: a frame
/// need not keep one at a call where it is dead, so it pins only the sites it is live across. Taking its address counts
/// as reading it there, and a constructor run on its address (<c>ldloca L; …; call L::.ctor</c>, straight-line as
/// <see cref="ReceiverLocal"/> finds it) or an <c>initobj</c> of it writes it (a constructor is taken not to read the
/// storage it initialises, as C# compiles them). That is exact because a managed pointer into the local can only
/// outlive the instruction that consumes its address where the analysis sees it: on the evaluation stack (a byref or
/// ref-struct item pins its site; a byref taken again on resume is checked against the local by
/// <see cref="PinClassifier"/>), in a byref local or parameter (which pin the method), or in another ref-struct local
/// (which pins where it is live). A local whose address escapes (<see cref="EscapingAddresses"/>) is not tracked:
/// it pins wherever the method may suspend, as every ref-struct local did before.
/// </summary>
internal sealed class TrackedRefStructLocals
{
    private TrackedRefStructLocals(HashSet<VariableDefinition> locals, Dictionary<Instruction, VariableDefinition> writes, HashSet<Instruction> writingAddresses)
    {
        Locals = locals;
        Writes = writes;
        WritingAddresses = writingAddresses;
    }

    /// <summary>The tracked locals.</summary>
    public ISet<VariableDefinition> Locals { get; }

    /// <summary>The instructions that write a tracked local whole (its constructor call, an <c>initobj</c>), each with the local.</summary>
    public IReadOnlyDictionary<Instruction, VariableDefinition> Writes { get; }

    /// <summary>The <c>ldloca</c>s whose address only a write of <see cref="Writes"/> consumes: no read of the local.</summary>
    public ISet<Instruction> WritingAddresses { get; }

    /// <summary>The tracked ref-struct locals of <paramref name="method"/>.</summary>
    public static TrackedRefStructLocals Of(MethodDefinition method, RefLikeTypes types)
    {
        var instructions = method.Body.Instructions;
        var locals = new HashSet<VariableDefinition>(method.Body.Variables.Where(v => !v.IsPinned && types.KindOf(v.VariableType) == StackItemKind.RefStruct));
        var escaping = EscapingAddresses.Of(method.Body);
        if (escaping is null)
        {
            locals.Clear();
        }
        else
        {
            locals.ExceptWith(escaping.Select(AddressOf).OfType<VariableDefinition>());
        }

        var writes = new Dictionary<Instruction, VariableDefinition>();
        var writingAddresses = new HashSet<Instruction>();
        var targets = ReceiverLocal.BranchTargets(method);
        for (var k = 0; k < instructions.Count; k++)
        {
            var instruction = instructions[k];
            var address = instruction.OpCode.Code switch
            {
                Code.Call when instruction.Operand is MethodReference { Name: ".ctor", HasThis: true } => ReceiverLocal.Address(method, instruction),
                Code.Initobj when !targets.Contains(instruction) && k > 0 && AddressOf(instructions[k - 1]) is not null => instructions[k - 1],
                _ => null,
            };
            if (address is not null && AddressOf(address) is { } local && locals.Contains(local))
            {
                writes.Add(instruction, local);
                writingAddresses.Add(address);
            }
        }

        return new TrackedRefStructLocals(locals, writes, writingAddresses);
    }

    /// <summary>The local whose address <paramref name="instruction"/> takes, or null.</summary>
    public static VariableDefinition? AddressOf(Instruction instruction) => instruction.OpCode.Code switch
    {
        Code.Ldloca or Code.Ldloca_S => (VariableDefinition)instruction.Operand,
        _ => null,
    };
}
