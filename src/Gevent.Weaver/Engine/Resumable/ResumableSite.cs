using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// A call site a resumable method links and may suspend at: the call, and the types of everything on the
/// evaluation stack at it (bottom first: the values below its arguments, then the receiver and the arguments),
/// which are spilled to locals so that a resume can push them again; byrefs into the method's own local are not
/// spilled but taken again (<see cref="Retaken"/>).
/// </summary>
internal sealed class ResumableSite(Instruction call, IReadOnlyList<TypeReference?> stack, int below, IReadOnlyDictionary<int, Instruction[]> retaken, bool dispatched)
{
    /// <summary>The call instruction.</summary>
    public Instruction Call => call;

    /// <summary>The types on the stack at the call, bottom first, receiver and arguments last (a retaken argument as declared, a retaken value below the arguments null).</summary>
    public IReadOnlyList<TypeReference?> Stack => stack;

    /// <summary>How many of <see cref="Stack"/> lie below the call's receiver and arguments, and stay after it returns.</summary>
    public int Below => below;

    /// <summary>The slots of <see cref="Stack"/> pushed again by the instructions that pushed them instead of spilled (<see cref="RetakenStack"/>).</summary>
    public IReadOnlyDictionary<int, Instruction[]> Retaken => retaken;

    /// <summary>
    /// Whether the call is virtual: which method it runs is known at run time only, so it links only when the receiver's
    /// method is resumable (<c>FrameStack.LinkVirtual</c>).
    /// </summary>
    public bool Dispatched => dispatched;

    /// <summary>Whether the call is an async builder's <c>Start</c>, which the rewriter replaces with the runtime's resumable start.</summary>
    public bool StartsStateMachine => AsyncBuilderStart.StateMachine((MethodReference)call.Operand) is not null;
}
