using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// Where an address pushed in a body leaves what the analysis sees: stored (<c>stloc</c>, <c>starg</c>,
/// <c>stind.i</c>, <c>stobj</c>) or made an unmanaged pointer (<c>conv.*</c>) right after it is pushed, or any address at
/// all where the body calls <c>Unsafe.AsPointer</c>. A local or argument whose address escapes so cannot be taken again
/// on resume, nor have its liveness tracked.
/// </summary>
internal static class EscapingAddresses
{
    /// <summary>
    /// The instructions of <paramref name="body"/> whose pushed address escapes (the next instruction by position: a
    /// stale <c>Next</c>, <see cref="Liveness"/>, must not hide where an address goes); null where any address may.
    /// </summary>
    public static HashSet<Instruction>? Of(MethodBody body)
    {
        var instructions = body.Instructions;
        return instructions.Any(MakesAnyAddressUnmanaged)
            ? null
            : [.. instructions.Where((_, k) => Escapes(k + 1 < instructions.Count ? instructions[k + 1] : null))];
    }

    /// <summary>Whether an address pushed just before <paramref name="next"/> is stored or made an unmanaged pointer.</summary>
    private static bool Escapes(Instruction? next) => next is null || next.OpCode.Code is
        Code.Conv_I or Code.Conv_U or Code.Conv_Ovf_I or Code.Conv_Ovf_U or Code.Conv_Ovf_I_Un or Code.Conv_Ovf_U_Un
        or Code.Conv_I8 or Code.Conv_U8 or Code.Conv_Ovf_I8 or Code.Conv_Ovf_U8 or Code.Conv_Ovf_I8_Un or Code.Conv_Ovf_U8_Un
        or Code.Stloc or Code.Stloc_S or Code.Stloc_0 or Code.Stloc_1 or Code.Stloc_2 or Code.Stloc_3
        or Code.Starg or Code.Starg_S or Code.Stind_I or Code.Stobj;

    /// <summary>A call that turns any managed pointer into an unmanaged one (<c>Unsafe.AsPointer</c>).</summary>
    private static bool MakesAnyAddressUnmanaged(Instruction instruction) =>
        instruction.Operand is MethodReference { Name: "AsPointer" } callee && callee.DeclaringType.FullName == "System.Runtime.CompilerServices.Unsafe";
}
