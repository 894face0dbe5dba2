using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaving;

/// <summary>
/// Chooses, from the suspendable-path analysis, the methods the resumable-frames pass rewrites and the call
/// sites each of them links. This slice covers non-generic static and reference-type instance methods whose
/// every site can be captured (none inside a catch, finally or filter: the analysis pins those); the others keep running on tier 1
/// (their blocking points pin). A site is linked only where every method it can run follows the contract: a
/// direct (non-virtual) call of another rewritten method, or a catalog replacement marked <c>[Resumable]</c>;
/// elsewhere the link would be left for un-woven code and a frame would be lost.
/// </summary>
internal static class ResumablePlanner
{
    /// <summary>The methods of <paramref name="visited"/> to rewrite, with the sites each links (in IL order).</summary>
    public static Dictionary<MethodDefinition, IReadOnlyList<ResumableSite>> Plan(
        Dictionary<MethodDefinition, List<(GraphCall Site, IReadOnlyList<PinReason> Reasons)>> analysis,
        ISet<MethodDefinition> visited,
        string resumableAttribute)
    {
        var candidates = analysis.Where(p => visited.Contains(p.Key) && Supported(p.Key, resumableAttribute) && p.Value.All(s => s.Reasons.Count == 0))
            .ToDictionary(p => p.Key, p => p.Value.Select(s => s.Site).ToList());
        var types = new RefLikeTypes();
        var plan = new Dictionary<MethodDefinition, IReadOnlyList<ResumableSite>>();
        // Dropping a method without linked sites can leave its callers without one: repeat until nothing changes.
        while (true)
        {
            plan.Clear();
            foreach (var method in candidates.Keys)
            {
                var sites = candidates[method];
                var stacks = EvaluationStack.Before(method, types);
                var linked = sites.Where(s => Linkable(s, candidates.Keys, resumableAttribute) && stacks.TryGetValue(s.Instruction, out var stack) && stack.Length == EvaluationStack.Arguments(s.Instruction))
                    .Select(s => (s.Instruction, Arguments: ArgumentTypes((MethodReference)s.Instruction.Operand)))
                    .Where(s => s.Arguments is not null)
                    .Select(s => new ResumableSite(s.Instruction, s.Arguments!))
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

    private static bool Supported(MethodDefinition method, string resumableAttribute) =>
        method.HasBody
        && !method.IsConstructor
        && !method.HasGenericParameters
        && !method.DeclaringType.IsValueType
        && !method.CustomAttributes.Any(a => a.AttributeType.FullName == resumableAttribute)
        && !Enclosing(method.DeclaringType).Any(t => t.HasGenericParameters);

    private static IEnumerable<TypeDefinition> Enclosing(TypeDefinition? type)
    {
        for (; type is not null; type = type.DeclaringType)
        {
            yield return type;
        }
    }

    private static bool Linkable(GraphCall site, ICollection<MethodDefinition> rewritten, string resumableAttribute)
    {
        if (site.Instruction.OpCode.Code is not (Code.Call or Code.Callvirt) || site.Instruction.Previous?.OpCode.OpCodeType == OpCodeType.Prefix)
        {
            return false;
        }

        var callee = ((MethodReference)site.Instruction.Operand).Resolve();
        if (callee is null || (callee.IsVirtual && !callee.IsFinal))
        {
            return false;
        }

        return site.Kind switch
        {
            SuspensionSiteKind.BlockingCall => callee.CustomAttributes.Any(a => a.AttributeType.FullName == resumableAttribute),
            SuspensionSiteKind.WovenCall => site.Targets.Count == 1 && rewritten.Contains(site.Targets[0]),
            _ => false,
        };
    }

    /// <summary>What the call takes from the stack, typed (receiver first); null where a type is not closed or the receiver is a byref.</summary>
    private static IReadOnlyList<TypeReference>? ArgumentTypes(MethodReference callee)
    {
        var types = new List<TypeReference>();
        if (callee.HasThis)
        {
            if (callee.DeclaringType.Resolve() is not { IsValueType: false } || callee.DeclaringType.ContainsGenericParameter)
            {
                return null;
            }

            types.Add(callee.DeclaringType);
        }

        foreach (var parameter in callee.Parameters)
        {
            var type = Close(parameter.ParameterType, callee);
            if (type is null)
            {
                return null;
            }

            types.Add(type);
        }

        return types;
    }

    /// <summary>A parameter's type with the callee's type arguments put in (only a bare type parameter in this slice).</summary>
    private static TypeReference? Close(TypeReference type, MethodReference callee) => type switch
    {
        GenericParameter { Type: GenericParameterType.Type } p when callee.DeclaringType is GenericInstanceType owner => owner.GenericArguments[p.Position],
        GenericParameter { Type: GenericParameterType.Method } p when callee is GenericInstanceMethod method => method.GenericArguments[p.Position],
        _ when type.ContainsGenericParameter || type.IsByReference => null,
        _ => type,
    };
}
