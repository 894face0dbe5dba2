using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// A call site a resumable method links and may suspend at: the call, and the types of everything on the
/// evaluation stack at it (bottom first: the values below its arguments, then the receiver and the arguments),
/// which are spilled to locals so that a resume can push them again; a value type's receiver taken from a local is
/// not spilled but taken again (<see cref="Receiver"/>).
/// </summary>
internal sealed class ResumableSite(Instruction call, IReadOnlyList<TypeReference> stack, int below, VariableDefinition? receiver)
{
    /// <summary>The call instruction.</summary>
    public Instruction Call => call;

    /// <summary>The types of what is on the stack at the call, bottom first.</summary>
    public IReadOnlyList<TypeReference> Stack => stack;

    /// <summary>How many of <see cref="Stack"/> lie below the call's receiver and arguments, and stay after it returns.</summary>
    public int Below => below;

    /// <summary>The local whose address is the call's value-type receiver, loaded again instead of spilled; null otherwise.</summary>
    public VariableDefinition? Receiver => receiver;
}
