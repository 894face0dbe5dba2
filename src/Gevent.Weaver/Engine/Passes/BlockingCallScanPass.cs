using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// Finds what patching cannot make cooperative: P/Invoke declarations of the catalog's blocking native
/// functions, and reflection lookups (<c>typeof(T).GetMethod("Name")</c>) of patched members, whose
/// invocations run the original.
/// </summary>
internal sealed class BlockingCallScanPass(PatchCatalog catalog) : WeavingPass
{
    public override void VisitMethod(MethodDefinition method, WeavingContext context)
    {
        if (method.IsPInvokeImpl && method.PInvokeInfo is { } info)
        {
            var entryPoint = info.EntryPoint ?? method.Name;
            if (catalog.BlockingNativeFunctions.Contains(entryPoint))
            {
                context.Report(new WeaveSite(WeaveSiteKind.BlockingNative, method, null, $"{info.Module.Name}!{entryPoint}", "a P/Invoke to a blocking native function blocks the whole hub"));
            }
        }

        if (!method.HasBody)
        {
            return;
        }

        foreach (var instruction in method.Body.Instructions)
        {
            if (ReflectedMember(instruction) is { } member)
            {
                context.Report(new WeaveSite(WeaveSiteKind.BlockingReflection, method, instruction, member, "calls made through reflection run the original, blocking member"));
            }
        }
    }

    /// <summary>The patched member looked up by <c>ldtoken T; call GetTypeFromHandle; ldstr name; call Type::Get*</c>.</summary>
    private string? ReflectedMember(Instruction lookup)
    {
        if (lookup.Operand is not MethodReference { DeclaringType.FullName: "System.Type" } getter
            || getter.Name is not ("GetMethod" or "GetProperty")
            || lookup.Previous is not { OpCode.Code: Code.Ldstr, Operand: string name } nameLoad
            || nameLoad.Previous?.Previous is not { OpCode.Code: Code.Ldtoken, Operand: TypeReference type })
        {
            return null;
        }

        var typeName = SignatureKey.ElementName(type);
        var methodName = getter.Name == "GetProperty" ? "get_" + name : name;
        return catalog.Entries.FirstOrDefault(e => e.DeclaringType == typeName && e.MethodName == methodName)?.OriginalDisplayName;
    }
}
