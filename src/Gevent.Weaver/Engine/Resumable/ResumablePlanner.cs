using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

using MethodStacks = (System.Collections.Generic.Dictionary<Mono.Cecil.Cil.Instruction, Mono.Cecil.TypeReference?[]> Types, System.Collections.Generic.Dictionary<Mono.Cecil.Cil.Instruction, Mono.Cecil.Cil.Instruction[]?[]>? This);

namespace Gevent.Weaver;

/// <summary>
/// Chooses, from the suspendable-path analysis, the methods the resumable-frames pass rewrites and the call
/// sites each of them links. It covers static methods and instance methods of reference types, generic ones and those
/// of generic types included, and instance methods of value types, whose every site can be captured but those inside a
/// catch, finally or filter, which it leaves unlinked (<see cref="PinReasons.PinsOnlyItsSite"/>); the others keep
/// running on tier 1 (their blocking points pin).
/// A value type's <c>this</c> is not kept by its method's frame (it is a byref into the caller's storage): a caller
/// links to it only where the receiver is the address of the caller's own local, which the caller saves and takes the
/// address of again on resume (<see cref="ReceiverLocal"/>), or its own <c>this</c> (<see cref="RetakenAddresses"/>);
/// so does a byref parameter, which a caller passes only as its own local's address or its own byref argument
/// (<see cref="RetakenByRefArguments"/>);
/// entered any other way it runs unlinked and pins. An async
/// method's stub links to its struct state machine's rewritten <c>MoveNext</c> the same way, through the runtime's
/// resumable start (<see cref="AsyncBuilderStart"/>). A site is linked only where every method it can run follows the
/// contract: a direct call of another rewritten method (a <c>constrained.</c> call that runs a value type's own method
/// is one, <see cref="ConstrainedCall"/>), a catalog replacement marked <c>[Resumable]</c>, or a virtual call whose every
/// override of the set that may suspend is rewritten, linked at run time only where the receiver's method is resumable
/// (an override from outside the set runs unlinked); elsewhere the link would be left for un-woven code and a frame would
/// be lost. Values below a site's arguments
/// are spilled with it when <see cref="StackTypes"/> knows their types; otherwise the site is not linked.
/// </summary>
internal static class ResumablePlanner
{
    /// <summary>The methods of <paramref name="visited"/> to rewrite, with the sites each links (in IL order).</summary>
    public static Dictionary<MethodDefinition, IReadOnlyList<ResumableSite>> Plan(
        Dictionary<MethodDefinition, List<(GraphCall Site, IReadOnlyList<PinReason> Reasons)>> analysis,
        ISet<MethodDefinition> visited)
    {
        var candidates = analysis.Where(p => visited.Contains(p.Key) && Supported(p.Key) && Capturable(p.Value))
            .ToDictionary(p => p.Key, p => p.Value.Where(s => s.Reasons.Count == 0).Select(s => s.Site).ToList());

        // The bodies do not change while the candidates shrink: their stacks are typed once.
        var stacks = candidates.Keys.ToDictionary(method => method, Stacks);
        var plan = new Dictionary<MethodDefinition, IReadOnlyList<ResumableSite>>();
        // Dropping a method without linked sites can leave its callers without one: repeat until nothing changes.
        while (true)
        {
            plan.Clear();
            foreach (var method in candidates.Keys)
            {
                var linked = candidates[method]
                    .Select(s => Link(method, s, candidates.Keys, analysis.ContainsKey, stacks[method], out _))
                    .OfType<ResumableSite>()
                    .ToList();
                if (linked.Count > 0)
                {
                    plan.Add(method, linked);
                }
            }

            if (plan.Count == candidates.Count)
            {
                return plan;
            }

            candidates = candidates.Where(p => plan.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => p.Value);
        }
    }

    /// <summary>
    /// Whether a method with these sites can be rewritten: every site capturable, or inside a handler. A site inside a
    /// catch, finally, fault or filter block is left unlinked, so its call runs as a plain call and, if it waits, pins
    /// there; since nothing suspends inside a handler, no resume ever re-enters a try block whose handler is running.
    /// </summary>
    private static bool Capturable(IEnumerable<(GraphCall Site, IReadOnlyList<PinReason> Reasons)> sites) =>
        sites.All(s => s.Reasons.All(PinReasons.PinsOnlyItsSite));

    /// <summary>A body's typed stacks, and where addresses taken again on resume lie on them (<see cref="RetakenAddresses"/>).</summary>
    private static MethodStacks Stacks(MethodDefinition method) => (StackTypes.Before(method), RetakenAddresses.Stacks(method));

    /// <summary>Whether the frame can hold what it may keep: every local, and every parameter but the byrefs a resume passes again.</summary>
    private static bool Supported(MethodDefinition method) =>
        method.HasBody
        && !method.IsConstructor
        && !FrameContract.IsResumable(method)
        && FrameClass.CanBeGenericOver(method)
        && method.Parameters.Except(RetakenByRefArguments.Of(method)).Select(p => p.ParameterType).Concat(method.Body.Variables.Select(v => v.VariableType)).All(FrameClass.CanHold);

    /// <summary>
    /// The sites of <paramref name="analysis"/>'s capturable methods (no pin reason at any site) of <paramref name="visited"/>
    /// that <paramref name="plan"/> (what <see cref="Plan"/> returned for them) leaves unlinked, and why; methods already
    /// <c>[Resumable]</c> are not reported. For <c>scan --suspension</c>: where a stackless greenlet will pin after all.
    /// </summary>
    public static IEnumerable<(GraphCall Site, UnlinkedReason Reason)> Unlinked(
        Dictionary<MethodDefinition, List<(GraphCall Site, IReadOnlyList<PinReason> Reasons)>> analysis,
        ISet<MethodDefinition> visited,
        IReadOnlyDictionary<MethodDefinition, IReadOnlyList<ResumableSite>> plan)
    {
        var rewritten = plan.Keys.ToList();
        foreach (var (method, sites) in analysis.Where(p => visited.Contains(p.Key) && !FrameContract.IsResumable(p.Key) && Capturable(p.Value)).Select(p => (p.Key, p.Value)))
        {
            var supported = Supported(method);
            var stacks = supported ? Stacks(method) : (new Dictionary<Instruction, TypeReference?[]>(), null);
            foreach (var (site, _) in sites.Where(s => s.Reasons.Count == 0))
            {
                if (!supported)
                {
                    yield return (site, UnlinkedReason.UnsupportedMethod);
                }
                else if (Link(method, site, rewritten, analysis.ContainsKey, stacks, out var reason) is null)
                {
                    yield return (site, reason);
                }
            }
        }
    }

    /// <summary>
    /// The site as linked, with the types of everything on the stack at its call; null where it cannot be linked
    /// (<paramref name="reason"/> says why): only where every method of the set it can run that may suspend
    /// (<paramref name="suspendable"/>) is rewritten, and every value on the stack can be spilled. A virtual call is
    /// linked at run time only where the receiver's method is resumable (<see cref="ResumableSite.Dispatched"/>): an
    /// override from outside the set then runs unlinked.
    /// </summary>
    private static ResumableSite? Link(MethodDefinition method, GraphCall site, ICollection<MethodDefinition> rewritten, Func<MethodDefinition, bool> suspendable, MethodStacks stacks, out UnlinkedReason reason)
    {
        reason = UnlinkedReason.IndirectCall;
        if (site.Kind == SuspensionSiteKind.DelegateCall)
        {
            reason = UnlinkedReason.DelegateCall;
            return null;
        }

        // A constrained call that runs a value type's own method is a call of that method (ConstrainedCall).
        var own = ConstrainedCall.Target(site.Instruction);
        if (site.Instruction.OpCode.Code is not (Code.Call or Code.Callvirt) || (site.Instruction.Previous?.OpCode.OpCodeType == OpCodeType.Prefix && own is null))
        {
            return null;
        }

        var callee = own ?? ((MethodReference)site.Instruction.Operand).Resolve();
        var dispatched = own is null && site.Instruction.OpCode.Code == Code.Callvirt && callee is { IsVirtual: true, IsFinal: false };
        (var linkable, reason) = callee switch
        {
            null => (false, UnlinkedReason.UnresolvedCallee),
            _ when dispatched && site.Kind == SuspensionSiteKind.WovenCall => (Every(site.Targets.Where(suspendable).ToList(), rewritten), UnlinkedReason.VirtualCallee),
            _ when dispatched => (false, UnlinkedReason.VirtualCallee),
            _ when site.Kind == SuspensionSiteKind.BlockingCall => (FrameContract.IsResumable(callee), UnlinkedReason.CalleeNotResumable),
            _ when site.Kind == SuspensionSiteKind.WovenCall => (site.Targets.Count == 1 && rewritten.Contains(site.Targets[0]), UnlinkedReason.CalleeNotRewritten),
            _ => (false, UnlinkedReason.IndirectCall),
        };
        return linkable ? Spilled(method, site.Instruction, dispatched, stacks, out reason) : null;
    }

    /// <summary>Whether there are <paramref name="targets"/> and each is rewritten.</summary>
    private static bool Every(List<MethodDefinition> targets, ICollection<MethodDefinition> rewritten) =>
        targets.Count > 0 && targets.All(rewritten.Contains);

    /// <summary>
    /// The site with the types of everything on the stack at <paramref name="call"/>, or null where one is not known:
    /// an argument type that is not known, a byref or a value-type receiver (but byrefs taken again:
    /// <see cref="RetakenStack"/>), or a value below the arguments whose type the body does not say.
    /// </summary>
    private static ResumableSite? Spilled(MethodDefinition method, Instruction call, bool dispatched, MethodStacks stacks, out UnlinkedReason reason)
    {
        reason = UnlinkedReason.UnknownStackType;
        if (!stacks.Types.TryGetValue(call, out var stack))
        {
            return null;
        }

        var retaken = RetakenStack.Of(method, call, stack.Length, stacks.This);
        var first = stack.Length - EvaluationStack.Arguments(call);
        reason = UnlinkedReason.UnspillableArgument;
        if (ArgumentTypes((MethodReference)call.Operand, ConstrainedCall.ReceiverType(call), retaken, first) is not { } arguments)
        {
            return null;
        }

        reason = UnlinkedReason.UnknownStackType;
        var below = stack.Take(first).ToList();
        return below.Where((t, slot) => t is null && !retaken.ContainsKey(slot)).Any()
            ? null
            : new ResumableSite(call, [.. below, .. arguments], first, retaken, dispatched);
    }

    /// <summary>
    /// What the call takes from the stack, typed as the caller sees it (receiver first, at slot <paramref name="first"/>
    /// of the stack; an argument in <paramref name="retaken"/> as declared: it is not spilled); null where a type is not
    /// known, or is a byref or a value type's receiver not taken again (<paramref name="constrained"/>: the value type a
    /// <c>constrained.</c> call's byref receiver points to).
    /// </summary>
    private static IReadOnlyList<TypeReference>? ArgumentTypes(MethodReference callee, TypeReference? constrained, IReadOnlyDictionary<int, Instruction[]> retaken, int first)
    {
        var types = new List<TypeReference>();
        if (callee.HasThis)
        {
            var receiver = constrained ?? callee.DeclaringType;
            if (receiver.Resolve() is not { } declaring || (declaring.IsValueType && !retaken.ContainsKey(first)))
            {
                return null;
            }

            types.Add(receiver);
        }

        foreach (var parameter in callee.Parameters)
        {
            var type = retaken.ContainsKey(first + types.Count) ? parameter.ParameterType : StackTypes.InCaller(parameter.ParameterType, callee.DeclaringType, callee);
            if (type is null)
            {
                return null;
            }

            types.Add(type);
        }

        return types;
    }
}
