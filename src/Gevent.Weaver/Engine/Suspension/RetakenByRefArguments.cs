using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// The byref arguments of a method that its frame need not keep: a value type's <c>this</c>, and <c>ref</c>, <c>out</c>
/// and <c>in</c> parameters. A method is resumed only through a caller that linked to it, and a caller links only where
/// every byref it passes is taken again on resume (<see cref="RetakenStack"/>: the address of its own local, which its
/// frame saves and restores before the call is made again, or one of its own byref arguments, by this rule one frame
/// up); so on resume the argument points at the storage the method wrote through before it suspended, restored. Only
/// where the method cannot make the argument point elsewhere or keep the address where the analysis does not see it:
/// no store to it (<c>starg</c>), no address of it (<c>ldarga</c>), its value never stored or made an unmanaged pointer
/// (<see cref="EscapingAddresses"/>), no <c>Unsafe.AsPointer</c> in the body. Kept in a <c>ref</c> local
/// it pins the method anyway (a byref local), and on the stack at a call it is pushed again by a <c>ldarg</c>
/// (<see cref="RetakenAddresses"/>).
/// </summary>
internal static class RetakenByRefArguments
{
    /// <summary>The byref arguments of <paramref name="method"/> (<c>this</c> as <see cref="MethodBody.ThisParameter"/>) a resume passes again.</summary>
    public static ISet<ParameterDefinition> Of(MethodDefinition method)
    {
        var byRefs = new HashSet<ParameterDefinition>(method.Parameters.Where(p => p.ParameterType.IsByReference));
        if (method is { HasThis: true, DeclaringType.IsValueType: true })
        {
            byRefs.Add(method.Body.ThisParameter);
        }

        var escaping = EscapingAddresses.Of(method.Body);
        if (byRefs.Count == 0 || escaping is null)
        {
            return new HashSet<ParameterDefinition>();
        }

        byRefs.ExceptWith(escaping.Select(i => Loaded(method, i)).OfType<ParameterDefinition>());
        byRefs.ExceptWith(method.Body.Instructions.Where(i => i.OpCode.Code is Code.Starg or Code.Starg_S or Code.Ldarga or Code.Ldarga_S).Select(i => (ParameterDefinition)i.Operand));
        return byRefs;
    }

    /// <summary>The argument <paramref name="instruction"/> (of <paramref name="method"/>) loads, if it is a <c>ldarg</c> in any form.</summary>
    public static ParameterDefinition? Loaded(MethodDefinition method, Instruction instruction)
    {
        var code = instruction.OpCode.Code;
        if (code is Code.Ldarg or Code.Ldarg_S)
        {
            return (ParameterDefinition)instruction.Operand;
        }

        if (code is not (Code.Ldarg_0 or Code.Ldarg_1 or Code.Ldarg_2 or Code.Ldarg_3))
        {
            return null;
        }

        var index = code - Code.Ldarg_0;
        return !method.HasThis ? method.Parameters[index] : index == 0 ? method.Body.ThisParameter : method.Parameters[index - 1];
    }
}
