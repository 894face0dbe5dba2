using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// Tier 2: woven code starts stackless greenlets. After <see cref="ResumableFramesPass"/> has marked the methods
/// it rewrote <c>[Resumable]</c>, each call of <c>Greenlet.Spawn(Action)</c>, <c>Greenlet.Spawn&lt;T&gt;(Func&lt;T&gt;)</c>
/// and <c>Group.Spawn</c>'s two (a pool's too) is pointed at <c>ResumableGreenlet</c>'s: <c>SpawnStackless</c> where the
/// delegate is created right there from a resumable method (a lambda, a method group) or from a method of this
/// module that never suspends (nothing to save: it runs on the carrier, and a wait the analysis could not see
/// pins); <c>Spawn</c>, which reads the mark at run time, where the delegate comes from elsewhere; and left as it is
/// where the method may suspend but was not rewritten, so that greenlet gets its thread at no extra cost. Only the
/// operand changes.
/// </summary>
internal sealed class SpawnSitesPass(PatchCatalog catalog) : WeavingPass
{
    private const string StarterType = "Gevent.CompilerServices.ResumableGreenlet";

    private TypeDefinition? _starters;
    private ModuleDefinition? _module;
    private ISet<MethodDefinition>? _suspendable;

    public override void VisitModule(WeavingContext context)
    {
        _starters = FrameContract.RuntimeOf(catalog)?.GetType(StarterType);
        _module = context.Module;
        _suspendable = context.Suspendable;
    }

    public override void VisitMethod(MethodDefinition method, WeavingContext context)
    {
        if (_starters is null || !method.HasBody)
        {
            return;
        }

        foreach (var call in method.Body.Instructions.Where(i => i.OpCode.Code is Code.Call or Code.Callvirt && i.Previous?.OpCode.OpCodeType != OpCodeType.Prefix))
        {
            if (call.Operand is MethodReference callee && IsSpawn(callee) && Replacement(callee, Stackless(call), context.Module) is { } replacement)
            {
                call.OpCode = OpCodes.Call;
                call.Operand = replacement;
            }
        }
    }

    /// <summary><c>Greenlet.Spawn</c> or <c>Group.Spawn</c> (a pool's call names <c>Group</c>'s) over an <c>Action</c> or a <c>Func&lt;T&gt;</c>.</summary>
    private static bool IsSpawn(MethodReference callee) =>
        callee.Name == "Spawn"
        && callee.DeclaringType.Namespace == "Gevent"
        && callee.DeclaringType.Name is "Greenlet" or "Group"
        && callee.Parameters.Count == 1
        && callee.Parameters[0].ParameterType.GetElementType().FullName is "System.Action" or "System.Func`1";

    /// <summary>True where the delegate is created here from a resumable method or one that never suspends, false from another method, null when unknown.</summary>
    private bool? Stackless(Instruction call)
    {
        // `newobj Action(object, native int)` right before the call, or, where the compiler caches the delegate in a
        // static field, `newobj; dup; stsfld` (the branch that found the cache full joins at the call, same target).
        var created = call.Previous;
        if (created is { OpCode.Code: Code.Stsfld } && created.Previous is { OpCode.Code: Code.Dup } dup)
        {
            created = dup.Previous;
        }

        if (created is not { OpCode.Code: Code.Newobj } || created.Previous is not { OpCode.Code: Code.Ldftn, Operand: MethodReference body })
        {
            return null;
        }

        return Resolution.OrNull(body.Resolve) is { } definition
            ? FrameContract.IsResumable(definition) || NeverSuspends(definition)
            : null;
    }

    private bool NeverSuspends(MethodDefinition method)
    {
        // The analysis the frames pass planned from: what it rewrote changed no method's reachability. Without it,
        // nothing is known never to suspend.
        return method.Module == _module && method.HasBody && _suspendable is not null && !_suspendable.Contains(method);
    }

    /// <summary>The <c>ResumableGreenlet</c> member to call instead, imported; null to leave the call as it is.</summary>
    private MethodReference? Replacement(MethodReference callee, bool? stackless, ModuleDefinition module)
    {
        if (stackless == false)
        {
            return null;
        }

        var name = stackless == true ? "SpawnStackless" : "Spawn";
        var generic = callee is GenericInstanceMethod;
        var inGroup = callee.DeclaringType.Name != "Greenlet";
        var target = _starters!.Methods.SingleOrDefault(m => m.Name == name && m.HasGenericParameters == generic && m.Parameters.Count == (inGroup ? 2 : 1));
        if (target is null)
        {
            return null;
        }

        var imported = module.ImportReference(target);
        if (callee is not GenericInstanceMethod instance)
        {
            return imported;
        }

        var closed = new GenericInstanceMethod(imported);
        closed.GenericArguments.Add(instance.GenericArguments[0]);
        return closed;
    }
}
