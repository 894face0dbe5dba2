using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaving;

/// <summary>
/// A call site a resumable method links and may suspend at: the call, and the types of what it takes from the
/// evaluation stack (receiver first), which are spilled to locals so that a resume can push them again.
/// </summary>
internal sealed class ResumableSite(Instruction call, IReadOnlyList<TypeReference> arguments)
{
    /// <summary>The call instruction.</summary>
    public Instruction Call => call;

    /// <summary>The types of what it takes from the stack, receiver first.</summary>
    public IReadOnlyList<TypeReference> Arguments => arguments;
}
