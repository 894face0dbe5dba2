using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>One call of the <see cref="CallGraph"/>: the woven methods it may run, and whether it may suspend whatever they do.</summary>
internal sealed class GraphCall(Instruction instruction, SuspensionSiteKind kind, IReadOnlyList<MethodDefinition> targets, bool blocks)
{
    /// <summary>The call instruction.</summary>
    public Instruction Instruction => instruction;

    /// <summary>How it may reach a blocking point.</summary>
    public SuspensionSiteKind Kind => kind;

    /// <summary>The woven methods it may run; it may suspend when one of them is suspendable.</summary>
    public IReadOnlyList<MethodDefinition> Targets => targets;

    /// <summary>Whether it is a blocking point itself (a rewritten blocking call, or a delegate over one).</summary>
    public bool Blocks => blocks;
}
