using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// Chooses, from the suspendable-path analysis, the methods the resumable-frames pass rewrites and the call
/// sites each of them links. It covers static methods and instance methods of reference types, generic ones and those
/// of generic types included, and instance methods of value types, whose every site can be captured (none inside a
/// catch, finally or filter: the analysis pins those); the others keep running on tier 1 (their blocking points pin).
/// A value type's <c>this</c> is not kept by its method's frame (it is a byref into the caller's storage): a caller
/// links to it only where the receiver is the address of the caller's own local, which the caller saves and takes the
/// address of again on resume (<see cref="ReceiverLocal"/>); entered any other way it runs unlinked and pins. An async
/// method's stub links to its struct state machine's rewritten <c>MoveNext</c> the same way, through the runtime's
/// resumable start (<see cref="AsyncBuilderStart"/>). A site is linked only where every method it can run follows the
/// contract: a direct (non-virtual) call of another rewritten method, or a catalog replacement marked <c>[Resumable]</c>;
/// elsewhere the link would be left for un-woven code and a frame would be lost. Values below a site's arguments
/// are spilled with it when <see cref="StackTypes"/> knows their types; otherwise the site is not linked.
/// </summary>
internal static class ResumablePlanner
{
    /// <summary>The methods of <paramref name="visited"/> to rewrite, with the sites each links (in IL order).</summary>
    public static Dictionary<MethodDefinition, IReadOnlyList<ResumableSite>> Plan(
        Dictionary<MethodDefinition, List<(GraphCall Site, IReadOnlyList<PinReason> Reasons)>> analysis,
        ISet<MethodDefinition> visited)
    {
        var candidates = analysis.Where(p => visited.Contains(p.Key) && Supported(p.Key) && p.Value.All(s => s.Reasons.Count == 0))
            .ToDictionary(p => p.Key, p => p.Value.Select(s => s.Site).ToList());

        // The bodies do not change while the candidates shrink: their stacks are typed once.
        var stacks = candidates.Keys.ToDictionary(method => method, StackTypes.Before);
        var plan = new Dictionary<MethodDefinition, IReadOnlyList<ResumableSite>>();
        // Dropping a method without linked sites can leave its callers without one: repeat until nothing changes.
        while (true)
        {
            plan.Clear();
            foreach (var method in candidates.Keys)
            {
                var linked = candidates[method]
                    .Select(s => Link(method, s, candidates.Keys, stacks[method], out _))
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

    private static bool Supported(MethodDefinition method) =>
        method.HasBody
        && !method.IsConstructor
        && !FrameContract.IsResumable(method)
        && FrameClass.CanBeGenericOver(method)
        && method.Parameters.Select(p => p.ParameterType).Concat(method.Body.Variables.Select(v => v.VariableType)).All(FrameClass.CanHold);

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
        foreach (var (method, sites) in analysis.Where(p => visited.Contains(p.Key) && !FrameContract.IsResumable(p.Key) && p.Value.All(s => s.Reasons.Count == 0)).Select(p => (p.Key, p.Value)))
        {
            var supported = Supported(method);
            var stacks = supported ? StackTypes.Before(method) : [];
            foreach (var (site, _) in sites)
            {
                if (!supported)
                {
                    yield return (site, UnlinkedReason.UnsupportedMethod);
                }
                else if (Link(method, site, rewritten, stacks, out var reason) is null)
                {
                    yield return (site, reason);
                }
            }
        }
    }

    /// <summary>
    /// The site as linked, with the types of everything on the stack at its call; null where it cannot be linked
    /// (<paramref name="reason"/> says why): only where every method it can run follows the contract, and every value
    /// on the stack can be spilled.
    /// </summary>
    private static ResumableSite? Link(MethodDefinition method, GraphCall site, ICollection<MethodDefinition> rewritten, Dictionary<Instruction, TypeReference?[]> stacks, out UnlinkedReason reason)
    {
        reason = UnlinkedReason.IndirectCall;
        if (site.Kind == SuspensionSiteKind.DelegateCall)
        {
            reason = UnlinkedReason.DelegateCall;
            return null;
        }

        if (site.Instruction.OpCode.Code is not (Code.Call or Code.Callvirt) || site.Instruction.Previous?.OpCode.OpCodeType == OpCodeType.Prefix)
        {
            return null;
        }

        var callee = ((MethodReference)site.Instruction.Operand).Resolve();
        (var linkable, reason) = callee switch
        {
            null => (false, UnlinkedReason.UnresolvedCallee),
            { IsVirtual: true, IsFinal: false } => (false, UnlinkedReason.VirtualCallee),
            _ when site.Kind == SuspensionSiteKind.BlockingCall => (FrameContract.IsResumable(callee), UnlinkedReason.CalleeNotResumable),
            _ when site.Kind == SuspensionSiteKind.WovenCall => (site.Targets.Count == 1 && rewritten.Contains(site.Targets[0]), UnlinkedReason.CalleeNotRewritten),
            _ => (false, UnlinkedReason.IndirectCall),
        };
        return linkable ? Spilled(method, site.Instruction, stacks, out reason) : null;
    }

    /// <summary>
    /// The site with the types of everything on the stack at <paramref name="call"/>, or null where one is not known:
    /// an argument type that is not known, a byref or a value-type receiver (but byrefs into a local of the method,
    /// taken again: <see cref="RetakenArguments"/>), or a value below the arguments whose type the body does not say.
    /// </summary>
    private static ResumableSite? Spilled(MethodDefinition method, Instruction call, Dictionary<Instruction, TypeReference?[]> stacks, out UnlinkedReason reason)
    {
        reason = UnlinkedReason.UnspillableArgument;
        var retaken = RetakenArguments.Of(method, call);
        if (ArgumentTypes((MethodReference)call.Operand, retaken) is not { } arguments)
        {
            return null;
        }

        reason = UnlinkedReason.UnknownStackType;
        if (!stacks.TryGetValue(call, out var stack))
        {
            return null;
        }

        var below = stack.Take(stack.Length - arguments.Count).ToList();
        return below.Any(t => t is null)
            ? null
            : new ResumableSite(call, [.. below!, .. arguments], below.Count, retaken.ToDictionary(p => below.Count + p.Key, p => p.Value));
    }

    /// <summary>
    /// What the call takes from the stack, typed as the caller sees it (receiver first; an argument in
    /// <paramref name="retaken"/> as declared: it is not spilled); null where a type is not known, or is a byref or a
    /// value type's receiver not taken again.
    /// </summary>
    private static IReadOnlyList<TypeReference>? ArgumentTypes(MethodReference callee, IReadOnlyDictionary<int, Instruction[]> retaken)
    {
        var types = new List<TypeReference>();
        if (callee.HasThis)
        {
            if (callee.DeclaringType.Resolve() is not { } declaring || (declaring.IsValueType && !retaken.ContainsKey(0)))
            {
                return null;
            }

            types.Add(callee.DeclaringType);
        }

        foreach (var parameter in callee.Parameters)
        {
            var type = retaken.ContainsKey(types.Count) ? parameter.ParameterType : StackTypes.InCaller(parameter.ParameterType, callee.DeclaringType, callee);
            if (type is null)
            {
                return null;
            }

            types.Add(type);
        }

        return types;
    }
}
