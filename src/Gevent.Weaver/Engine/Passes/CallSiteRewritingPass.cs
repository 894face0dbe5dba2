using Gevent.Patches;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// Rewrites the blocking call sites of each method body in place: the instruction keeps its identity
/// and only its opcode and operand change, so branch targets, handler boundaries and sequence points
/// stay valid. The one edit that changes the layout (<c>ldvirtftn</c> → <c>pop; ldftn</c>) goes through
/// the method's editor. Calls that cannot be rewritten safely are reported, not touched. A replacement
/// is left as it is: it calls its original, and rewriting it would make it call itself.
/// </summary>
internal sealed class CallSiteRewritingPass(PatchCatalog catalog) : WeavingPass
{
    private ReplacementImporter? _importer;

    public override void VisitModule(WeavingContext context) => _importer = new ReplacementImporter(context.Module);

    public override void VisitMethod(MethodDefinition method, WeavingContext context)
    {
        if (!method.HasBody || CatalogReader.IsReplacement(method))
        {
            return;
        }

        var instructions = method.Body.Instructions;
        for (var i = 0; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            if (!IsCallOrLoad(instruction.OpCode) || instruction.Operand is not MethodReference callee || catalog.Find(callee) is not { } entry)
            {
                continue;
            }

            if (instruction.Previous is { OpCode.Code: Code.Constrained, Operand: TypeReference receiver } && !catalog.Receivers.CouldBePatched(receiver))
            {
                // It reaches the receiver's own implementation, which is none of the patched ones (a struct
                // enumerator's Dispose in a foreach): nothing blocks here that a rewrite would have helped.
                continue;
            }

            if (entry.Kind == PatchKind.Constructor && entry.NeverWaits && instruction.OpCode.Code != Code.Newobj)
            {
                // A derived constructor chaining to a replaced one that never waits (StreamReader(Stream) in a
                // StreamReader subclass): the object is the subclass either way, and nothing blocks here to report.
                continue;
            }

            var refusal = Refusal(instruction, entry, callee);
            var replacement = refusal is null ? _importer!.Import(entry, callee) : null;
            if (replacement is null)
            {
                refusal ??= "its replacement's signature uses a type this assembly does not reference";
                context.Report(new WeaveSite(WeaveSiteKind.Skipped, method, instruction, entry.OriginalDisplayName, refusal));
                continue;
            }

            context.Report(new WeaveSite(WeaveSiteKind.Rewritten, method, instruction, entry.OriginalDisplayName, entry.ReplacementDisplayName));
            if (instruction.OpCode.Code == Code.Ldvirtftn)
            {
                // ldvirtftn takes the receiver a dup left; the replacement is a static method closed over
                // that receiver (like an extension-method group), so drop the copy and load it directly.
                context.Edit(method).Replace(instruction, Instruction.Create(OpCodes.Pop), Instruction.Create(OpCodes.Ldftn, replacement));
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
            return "a constrained. receiver (a generic parameter or value type that could be a patched type) calls its own implementation";
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
