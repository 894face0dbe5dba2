using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// Decides, for each call site of a suspendable method that may suspend, why its frame could not be
/// captured. A byref or pinned local, a ref-struct parameter, a byref parameter the method may store, take the address of
/// or let escape (<see cref="RetakenByRefArguments"/>), <c>localloc</c> and a ref-struct local whose liveness is not
/// tracked count wherever the method has them; a tracked ref-struct local (<see cref="TrackedRefStructLocals"/>:
/// an interpolated string's handler) pins only the sites it is live across (<see cref="Liveness"/>), or whose
/// stack takes its address again on resume. The evaluation stack is computed at
/// each call, arguments included, but for byrefs taken again on resume (<see cref="RetakenStack"/>). A value type's
/// <c>this</c>, or a <c>ref</c>/<c>out</c> parameter, is no reason by itself: the caller that linked to it takes it again on
/// resume, and so does the method where it or a field address of it is on the stack at a call (<c>this.Other()</c>,
/// <c>this.f = Call()</c>, <c>Inner(out result)</c>), as it does its own local's address for a byref parameter.
/// </summary>
internal sealed class PinClassifier(RefLikeTypes types, Func<MethodReference, PatchEntry?> originals)
{
    /// <summary>The reasons each of <paramref name="sites"/> (of <paramref name="method"/>) would pin for.</summary>
    public IEnumerable<(GraphCall Site, IReadOnlyList<PinReason> Reasons)> Classify(MethodDefinition method, IEnumerable<GraphCall> sites)
    {
        var tracked = TrackedRefStructLocals.Of(method, types);
        var common = MethodReasons(method, tracked);
        var stacks = EvaluationStack.Before(method, types);
        var addresses = RetakenAddresses.Stacks(method);
        var monitors = MonitorRegions(method).ToList();
        var listed = sites.ToList();
        // Only a tracked local needs liveness here: most methods have none, and are spared the analysis.
        var live = tracked.Locals.Count > 0 ? Liveness.After(method, listed.Select(s => s.Instruction), tracked) : null;
        foreach (var (site, index) in listed.Select((s, i) => (s, i)))
        {
            var reasons = new SortedSet<PinReason>(common);
            var instruction = site.Instruction;
            reasons.UnionWith(site.Kind switch
            {
                SuspensionSiteKind.UnwovenCallback => [PinReason.UnwovenFrame],
                SuspensionSiteKind.Reflection => [PinReason.Reflection],
                _ => [],
            });
            if (instruction.Previous?.OpCode.Code == Code.Tail)
            {
                reasons.Add(PinReason.TailCall);
            }

            if (method.Body.ExceptionHandlers.Any(h => Within(instruction, h.FilterStart ?? h.HandlerStart, h.HandlerEnd)))
            {
                reasons.Add(PinReason.InsideHandler);
            }

            if (monitors.Any(m => instruction.Offset > m.Entered.Offset && Within(instruction, m.Region.TryStart, m.Region.TryEnd)))
            {
                reasons.Add(PinReason.MonitorHeld);
            }

            if (stacks.TryGetValue(instruction, out var stack))
            {
                // Byrefs into a local of this method (a struct method's receiver, an async stub's builder and state
                // machine, a ref or out argument) and the method's own byref arguments are taken again on resume, or, for a catalog replacement
                // (awaiter.GetResult()), never captured at: no frame has to keep them (RetakenStack).
                var retaken = site.Kind is SuspensionSiteKind.WovenCall or SuspensionSiteKind.BlockingCall ? RetakenStack.Of(method, instruction, stack.Length, addresses) : null;
                reasons.UnionWith(stack.Where((_, i) => retaken?.ContainsKey(i) != true).Select(Reason).OfType<PinReason>());
                if (retaken is not null && retaken.Values.SelectMany(pushes => pushes).Select(TrackedRefStructLocals.AddressOf).Any(l => l is not null && tracked.Locals.Contains(l)))
                {
                    // A ref-struct local's address taken again on resume would find it empty: the frame cannot keep it.
                    reasons.Add(PinReason.RefStruct);
                }
            }

            if (live is not null && live[index].Locals.Any(tracked.Locals.Contains))
            {
                reasons.Add(PinReason.RefStruct);
            }

            yield return (site, reasons.ToList());
        }
    }

    private SortedSet<PinReason> MethodReasons(MethodDefinition method, TrackedRefStructLocals tracked)
    {
        var reasons = new SortedSet<PinReason>();
        if (method.IsConstructor)
        {
            reasons.Add(method.IsStatic ? PinReason.StaticConstructor : PinReason.Constructor);
        }

        if (method.CallingConvention == MethodCallingConvention.VarArg)
        {
            reasons.Add(PinReason.Varargs);
        }

        if (method.ReturnType is ByReferenceType)
        {
            reasons.Add(PinReason.RefReturn);
        }

        if (method.IsSynchronized)
        {
            reasons.Add(PinReason.MonitorHeld);
        }

        // A byref parameter a resume passes again is no reason: the caller that linked took it again (RetakenStack).
        var retaken = RetakenByRefArguments.Of(method);
        reasons.UnionWith(method.Parameters.Where(p => !retaken.Contains(p)).Select(p => Reason(types.KindOf(p.ParameterType))).OfType<PinReason>());
        foreach (var local in method.Body.Variables.Where(v => !tracked.Locals.Contains(v)))
        {
            if ((local.IsPinned ? PinReason.PinnedLocal : Reason(types.KindOf(local.VariableType))) is { } reason)
            {
                reasons.Add(reason);
            }
        }

        if (method.Body.Instructions.Any(i => i.OpCode.Code == Code.Localloc))
        {
            reasons.Add(PinReason.LocalAlloc);
        }

        return reasons;
    }

    /// <summary>
    /// The try blocks whose finally exits a monitor (<c>lock</c> compiles so), each with the call inside it
    /// that enters the monitor: calls after that one run with the monitor held.
    /// </summary>
    private IEnumerable<(ExceptionHandler Region, Instruction Entered)> MonitorRegions(MethodDefinition method)
    {
        foreach (var handler in method.Body.ExceptionHandlers.Where(h => h.HandlerType == ExceptionHandlerType.Finally))
        {
            var exits = Range(handler.HandlerStart, handler.HandlerEnd).Any(i => IsMonitorCall(i, "Exit"));
            var entered = Range(handler.TryStart, handler.TryEnd).FirstOrDefault(i => IsMonitorCall(i, "Enter"));
            if (exits && entered is not null)
            {
                yield return (handler, entered);
            }
        }
    }

    /// <summary>A call of <c>Monitor.Enter</c>/<c>Exit</c>, before or after the catalog rewrote it.</summary>
    private bool IsMonitorCall(Instruction instruction, string name)
    {
        if (instruction.OpCode.FlowControl != FlowControl.Call || instruction.Operand is not MethodReference callee)
        {
            return false;
        }

        var (type, member) = originals(callee) is { } entry ? (entry.DeclaringType, entry.MethodName) : (callee.DeclaringType.FullName, callee.Name);
        return type == "System.Threading.Monitor" && member == name;
    }

    private static IEnumerable<Instruction> Range(Instruction start, Instruction? end)
    {
        for (var i = start; i is not null && i != end; i = i.Next)
        {
            yield return i;
        }
    }

    private static bool Within(Instruction instruction, Instruction start, Instruction? end) =>
        instruction.Offset >= start.Offset && (end is null || instruction.Offset < end.Offset);

    private static PinReason? Reason(StackItemKind kind) => kind switch
    {
        StackItemKind.ByRef => PinReason.ByRef,
        StackItemKind.RefStruct => PinReason.RefStruct,
        StackItemKind.LocalAllocPointer => PinReason.LocalAlloc,
        _ => null,
    };
}
