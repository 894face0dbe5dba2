using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// Tier 2: woven code starts stackless greenlets. After <see cref="ResumableFramesPass"/> has marked the methods
/// it rewrote <c>[Resumable]</c>, each site that starts or makes a greenlet over a body (<c>Greenlet.Spawn</c>,
/// <c>Greenlet.SpawnLater</c>, <c>Group.Spawn</c> (a pool's too), over an <c>Action</c> or a <c>Func&lt;T&gt;</c>, and
/// <c>new Greenlet(Action)</c> / <c>new Greenlet&lt;T&gt;(Func&lt;T&gt;)</c>, however it is started then) is pointed
/// at <c>ResumableGreenlet</c>'s counterpart: the <c>…Stackless</c> one where the delegate is created right there
/// from a resumable method (a lambda, a method group; of this run or an assembly woven earlier) or from a method
/// of the run that never suspends (nothing to save: it runs on the carrier, takes the carrier's link at its entry, and a
/// wait the analysis could not see pins); the one that reads the mark at run time where the delegate comes from elsewhere; and left as it is where
/// the method may suspend but was not rewritten, so that greenlet gets its thread at no extra cost. Only the
/// operand (and a <c>newobj</c> or <c>callvirt</c> into a <c>call</c>) changes: the starters take what the original
/// takes and leave what it leaves.
/// </summary>
internal sealed class SpawnSitesPass(PatchCatalog catalog) : WeavingPass
{
    private const string StarterType = "Gevent.CompilerServices.ResumableGreenlet";

    private TypeDefinition? _starters;
    private ResumableRunPlan? _plan;

    public override void VisitModule(WeavingContext context)
    {
        _starters = FrameContract.RuntimeOf(catalog)?.GetType(StarterType);
        _plan = context.Run.Shared<ResumableRunPlan>();
    }

    public override void VisitMethod(MethodDefinition method, WeavingContext context)
    {
        if (_starters is null || !method.HasBody)
        {
            return;
        }

        // A list: a body given its carrier's link below may be this very method.
        foreach (var site in method.Body.Instructions.Where(i => i.Previous?.OpCode.OpCodeType != OpCodeType.Prefix).ToList())
        {
            if (Starter(site) is { } starter && Replacement(starter, Stackless(site), context.Module) is { } replacement)
            {
                site.OpCode = OpCodes.Call;
                site.Operand = replacement;
                context.Restructured = context.Restructured with { SpawnSites = context.Restructured.SpawnSites + 1 };
            }
        }
    }

    /// <summary>
    /// The name of <c>ResumableGreenlet</c>'s counterpart of <paramref name="site"/> (without <c>Stackless</c>), how
    /// many parameters it takes, and the body's result type for a <c>Func&lt;T&gt;</c>; null when the site starts no greenlet.
    /// </summary>
    private static (string Name, int Parameters, TypeReference? Result)? Starter(Instruction site)
    {
        if (site.Operand is not MethodReference callee
            || callee.DeclaringType.Namespace != "Gevent"
            || callee.Parameters.Count == 0
            || callee.Parameters[callee.Parameters.Count - 1].ParameterType.GetElementType().FullName is not ("System.Action" or "System.Func`1"))
        {
            return null;
        }

        var type = callee.DeclaringType.Name;
        return (site.OpCode.Code, callee.Name, callee.Parameters.Count) switch
        {
            (Code.Newobj, ".ctor", 1) when type is "Greenlet" or "Greenlet`1" => ("Create", 1, (callee.DeclaringType as GenericInstanceType)?.GenericArguments[0]),
            // A pool's call names Group's member.
            (Code.Call or Code.Callvirt, "Spawn", 1) when type is "Greenlet" or "Group" => ("Spawn", type == "Group" ? 2 : 1, ResultOf(callee)),
            (Code.Call, "SpawnLater", 2) when type == "Greenlet" => ("SpawnLater", 2, ResultOf(callee)),
            _ => null,
        };
    }

    private static TypeReference? ResultOf(MethodReference callee) => (callee as GenericInstanceMethod)?.GenericArguments[0];

    /// <summary>True where the delegate is created here from a resumable method or one that never suspends, false from another method, null when unknown.</summary>
    private bool? Stackless(Instruction site)
    {
        // `newobj Action(object, native int)` right before the site, or, where the compiler caches the delegate in a
        // static field, `newobj; dup; stsfld` (the branch that found the cache full joins at the site, same target).
        var created = site.Previous;
        if (created is { OpCode.Code: Code.Stsfld } && created.Previous is { OpCode.Code: Code.Dup } dup)
        {
            created = dup.Previous;
        }

        if (created is not { OpCode.Code: Code.Newobj } || created.Previous is not { OpCode.Code: Code.Ldftn, Operand: MethodReference body })
        {
            return null;
        }

        if (Resolution.OrNull(body.Resolve) is not { } definition)
        {
            return null;
        }

        if (FrameContract.IsResumable(definition))
        {
            return true;
        }

        // A method of the run (this module or another woven with it): rewritten by its frames pass, or never suspending.
        if (_plan!.Find(body) is not { } own)
        {
            return false;
        }

        if (_plan.Rewritten.ContainsKey(own))
        {
            return true;
        }

        if (!_plan.NeverSuspends(own))
        {
            return false;
        }

        TakeCarrierLink(own);
        return true;
    }

    /// <summary>
    /// Makes a body that never suspends take, at its entry, the link its carrier sets as a stackless greenlet's body is
    /// entered: it follows no other part of the contract, and a link left set would make the first resumable method
    /// below it — of an assembly woven later, which the analysis did not see (Fody weaves a project before the references
    /// it patches) — take itself for linked and suspend into frames that save nothing. Taking a link is always safe.
    /// </summary>
    private void TakeCarrierLink(MethodDefinition body)
    {
        if (!_plan!.TakesCarrierLink.Add(body))
        {
            return;
        }

        var contract = FrameContract.For(body.Module, catalog)!;
        var entered = Instruction.Create(OpCodes.Nop);
        new MethodBodyEditor(body).InsertAtEntry(
            Instruction.Create(OpCodes.Call, contract.Current),
            Instruction.Create(OpCodes.Brfalse, entered),
            Instruction.Create(OpCodes.Call, contract.Current),
            Instruction.Create(OpCodes.Callvirt, contract.Enter),
            Instruction.Create(OpCodes.Pop),
            entered);
    }

    /// <summary>The <c>ResumableGreenlet</c> member to call instead, imported; null to leave the site as it is.</summary>
    private MethodReference? Replacement((string Name, int Parameters, TypeReference? Result) starter, bool? stackless, ModuleDefinition module)
    {
        if (stackless == false)
        {
            return null;
        }

        var name = stackless == true ? starter.Name + "Stackless" : starter.Name;
        var target = _starters!.Methods.SingleOrDefault(m => m.Name == name && m.HasGenericParameters == (starter.Result is not null) && m.Parameters.Count == starter.Parameters);
        if (target is null)
        {
            return null;
        }

        var imported = module.ImportReference(target);
        if (starter.Result is null)
        {
            return imported;
        }

        var closed = new GenericInstanceMethod(imported);
        closed.GenericArguments.Add(starter.Result);
        return closed;
    }
}
