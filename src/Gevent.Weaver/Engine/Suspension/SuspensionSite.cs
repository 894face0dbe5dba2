using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>A call site of a suspendable method that may suspend, and why it would pin (none: its frame can be captured).</summary>
public sealed class SuspensionSite
{
    internal SuspensionSite(MethodDefinition method, Instruction instruction, SuspensionSiteKind kind, IReadOnlyList<PinReason> reasons, UnlinkedReason? unlinked)
    {
        Unlinked = unlinked;
        Method = method.DeclaringType.FullName + "::" + method.Name;
        Offset = instruction.Offset;
        Callee = instruction.Operand is MemberReference member ? member.FullName : instruction.OpCode.Name;
        Kind = kind;
        Reasons = reasons;
    }

    /// <summary>The method holding the site: <c>Type::Name</c>.</summary>
    public string Method { get; }

    /// <summary>IL offset of the call in the body as read.</summary>
    public int Offset { get; }

    /// <summary>What the site calls, as written in the IL (after rewriting: the replacement).</summary>
    public string Callee { get; }

    /// <summary>How the site may reach a blocking point.</summary>
    public SuspensionSiteKind Kind { get; }

    /// <summary>Why the greenlet would pin here; empty when the frame can be captured.</summary>
    public IReadOnlyList<PinReason> Reasons { get; }

    /// <summary>
    /// Why the resumable frames would leave this site unlinked although nothing pins here (a stackless greenlet
    /// reaching a wait through it pins after all); null where it is linked, pins, or its method is already resumable.
    /// </summary>
    public UnlinkedReason? Unlinked { get; }

    /// <summary>Whether the greenlet would pin at this site.</summary>
    public bool Pins => Reasons.Count > 0;

    /// <inheritdoc />
    public override string ToString() => $"{Method}+IL_{Offset:x4} -> {Callee}";
}
