using Gevent.Patches;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaving;

/// <summary>
/// Rewrites the blocking call sites of one method body in place: the instruction keeps its identity
/// and only its opcode and operand change, so branch targets, handler boundaries and sequence points
/// stay valid. The one insertion (<c>ldvirtftn</c> → <c>pop; ldftn</c>) adds an instruction after the
/// rewritten one, inside the same block. Calls that cannot be rewritten safely are reported, not touched.
/// </summary>
internal sealed class CallSiteRewriter(PatchCatalog catalog, ReplacementImporter importer, WeaveReport report)
{
    public void Rewrite(MethodDefinition method)
    {
        var instructions = method.Body.Instructions;
        for (var i = 0; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            if (!IsCallOrLoad(instruction.OpCode) || instruction.Operand is not MethodReference callee || catalog.Find(callee) is not { } entry)
            {
                continue;
            }

            var refusal = Refusal(instruction, entry, callee);
            var replacement = refusal is null ? importer.Import(entry, callee) : null;
            if (replacement is null)
            {
                refusal ??= "its replacement's signature uses a type this assembly does not reference";
                report.Add(new WeaveSite(WeaveSiteKind.Skipped, method, instruction, entry.OriginalDisplayName, refusal));
                continue;
            }

            report.Add(new WeaveSite(WeaveSiteKind.Rewritten, method, instruction, entry.OriginalDisplayName, entry.ReplacementDisplayName));
            if (instruction.OpCode.Code == Code.Ldvirtftn)
            {
                // ldvirtftn takes the receiver a dup left; the replacement is a static method closed over
                // that receiver (like an extension-method group), so drop the copy and load it directly.
                instruction.OpCode = OpCodes.Pop;
                instruction.Operand = null;
                method.Body.GetILProcessor().InsertAfter(instruction, Instruction.Create(OpCodes.Ldftn, replacement));
                i++;
            }
            else
            {
                // call/callvirt/newobj all become call (a tail. prefix stays valid before call); ldftn stays.
                instruction.OpCode = instruction.OpCode.Code == Code.Ldftn ? OpCodes.Ldftn : OpCodes.Call;
                instruction.Operand = replacement;
            }
        }
    }

    private static bool IsCallOrLoad(OpCode opCode) =>
        opCode.Code is Code.Call or Code.Callvirt or Code.Newobj or Code.Ldftn or Code.Ldvirtftn;

    /// <summary>Why the site must keep the original, or null when it can be rewritten.</summary>
    private static string? Refusal(Instruction instruction, PatchEntry entry, MethodReference callee)
    {
        var code = instruction.OpCode.Code;
        if (instruction.Previous?.OpCode.Code == Code.Constrained)
        {
            return "a constrained. receiver (value type or generic parameter) calls its own implementation";
        }

        if (entry.Kind == PatchKind.Virtual && code is Code.Call or Code.Ldftn)
        {
            return "a non-virtual (base.) call to a patched virtual must reach exactly that implementation";
        }

        if (entry.Kind == PatchKind.Constructor && code != Code.Newobj)
        {
            return "a constructor chained from a derived constructor or a struct initialiser cannot become a factory";
        }

        if (entry.HasReceiver && code is Code.Ldftn or Code.Ldvirtftn && callee.DeclaringType.IsValueType)
        {
            return "a delegate over a value-type receiver cannot be closed over a static replacement";
        }

        return null;
    }
}
