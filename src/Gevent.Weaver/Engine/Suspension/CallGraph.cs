using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// The calls of a woven set of modules, each site with the woven methods it may reach: <c>call</c> and
/// <c>newobj</c> their target; <c>callvirt</c> and <c>ldvirtftn</c> the target and every override or
/// implementation in the set (matched by name and parameter count, over base types and interfaces, so it
/// errs towards too many) that the receiver's static type admits, but a <c>constrained.</c> call on a value type that implements the member itself only that
/// type's method and one on an enum none (<see cref="ConstrainedCall"/>); a delegate's <c>Invoke</c> and <c>calli</c> every method of the set whose address
/// is taken with a fitting parameter count; a call leaving the set the suspendable callbacks it is handed
/// (unless it only starts a greenlet over them, <see cref="GreenletStarters"/>, or queues them to the thread pool,
/// <see cref="ThreadPoolSchedulers"/>), but an async builder's <c>Start</c> its
/// state machine's <c>MoveNext</c> as a call of it (<see cref="AsyncBuilderStart"/>), and a generic base-library method
/// only the members of its type arguments it may run (<see cref="TypeArgumentUses"/>); a replacement that never waits but
/// calls a virtual original (<c>IDisposable.Dispose</c>), the overrides of it the receiver's static type admits.
/// Methods are keyed by assembly and full name, as a callee resolved through another module's resolver is
/// another object for the same method. Outside code that cannot be resolved cannot be followed: what it
/// would call back is missed.
/// </summary>
internal sealed class CallGraph
{
    private static readonly HashSet<string> s_reflectionInvokers =
    [
        "System.Reflection.MethodBase::Invoke", "System.Reflection.MethodInfo::Invoke", "System.Reflection.ConstructorInfo::Invoke",
        "System.Delegate::DynamicInvoke", "System.Activator::CreateInstance", "System.Type::InvokeMember",
    ];

    private readonly Dictionary<string, MethodDefinition> _woven = new();
    private readonly HashSet<string> _wovenTypes = [];
    private readonly Dictionary<string, List<MethodDefinition>> _overriders = new();
    private readonly List<MethodDefinition> _addressTaken = [];
    private readonly HashSet<int> _addressTakenBlockingArities = [];

    private readonly Func<MethodReference, MethodDefinition?> _virtualCalledBy;

    /// <summary>
    /// Builds the graph of <paramref name="modules"/>, whose blocking calls <paramref name="isBlockingCall"/> recognises;
    /// <paramref name="virtualCalledBy"/> gives, for a call of a replacement that never waits, the virtual member it calls
    /// in turn (<c>IDisposable.Dispose</c>), or null.
    /// </summary>
    public CallGraph(IEnumerable<ModuleDefinition> modules, Func<MethodReference, bool> isBlockingCall, Func<MethodReference, MethodDefinition?> virtualCalledBy)
    {
        _virtualCalledBy = virtualCalledBy;
        var methods = modules.SelectMany(m => m.GetTypes()).SelectMany(t => t.Methods).ToList();
        foreach (var method in methods)
        {
            _woven[Key(method)] = method;
            _wovenTypes.Add(Key(method.DeclaringType));
        }

        foreach (var method in methods.Where(m => m.IsVirtual))
        {
            IndexOverrides(method);
        }

        foreach (var method in methods.Where(m => m.HasBody))
        {
            foreach (var load in method.Body.Instructions.Where(i => i.OpCode.Code is Code.Ldftn or Code.Ldvirtftn))
            {
                var target = (MethodReference)load.Operand;
                if (isBlockingCall(target))
                {
                    _addressTakenBlockingArities.Add(target.Parameters.Count);
                }

                _addressTaken.AddRange(Targets(target, load.OpCode.Code == Code.Ldvirtftn));
            }
        }

        EnteredFromUnwovenCode.UnionWith(_addressTaken);
        foreach (var method in methods.Where(m => m.HasBody))
        {
            Sites.Add(method, SitesOf(method, isBlockingCall).ToList());
        }
    }

    /// <summary>Every body's call sites that may reach a blocking point, directly or through the listed methods.</summary>
    public Dictionary<MethodDefinition, List<GraphCall>> Sites { get; } = new();

    /// <summary>Woven methods that code outside the set may call: address taken, or overriding or implementing an outside member.</summary>
    public HashSet<MethodDefinition> EnteredFromUnwovenCode { get; } = new();

    private IEnumerable<GraphCall> SitesOf(MethodDefinition method, Func<MethodReference, bool> isBlockingCall)
    {
        var loadedHere = method.Body.Instructions
            .Where(i => i.OpCode.Code is Code.Ldftn or Code.Ldvirtftn)
            .SelectMany(i => Targets((MethodReference)i.Operand, i.OpCode.Code == Code.Ldvirtftn))
            .ToList();
        Dictionary<Instruction, TypeReference?[]>? stackTypes = null;
        foreach (var instruction in method.Body.Instructions)
        {
            var code = instruction.OpCode.Code;
            if (code == Code.Calli)
            {
                var arity = ((Mono.Cecil.CallSite)instruction.Operand).Parameters.Count;
                yield return DelegateCall(instruction, arity);
                continue;
            }

            if (code is not (Code.Call or Code.Callvirt or Code.Newobj) || instruction.Operand is not MethodReference callee)
            {
                continue;
            }

            if (isBlockingCall(callee))
            {
                yield return new GraphCall(instruction, SuspensionSiteKind.BlockingCall, [], true);
                continue;
            }

            if (_virtualCalledBy(callee) is { } original)
            {
                // The replacement does not wait, but the original it calls runs the set's overrides under its frame:
                // those of the receiver's static type (a using over a Socket runs no woven Dispose).
                stackTypes ??= StackTypes.Before(method);
                var receiver = stackTypes.TryGetValue(instruction, out var stack) && stack.Length >= callee.Parameters.Count ? stack[stack.Length - callee.Parameters.Count] : null;
                if (Targets(original, virtualDispatch: true).Where(m => receiver is null || MayBe(m.DeclaringType, receiver)).ToList() is { Count: > 0 } overriders)
                {
                    yield return new GraphCall(instruction, SuspensionSiteKind.UnwovenCallback, overriders, false);
                }

                continue;
            }

            if (callee.Name == "Invoke" && IsDelegate(callee.DeclaringType))
            {
                yield return DelegateCall(instruction, callee.Parameters.Count);
                continue;
            }

            if (AsyncBuilderStart.StateMachine(callee) is { } machine && MoveNext(machine) is { } moveNext)
            {
                // The builder's Start runs MoveNext inline; the resumable frames replace it with the runtime's start.
                yield return new GraphCall(instruction, SuspensionSiteKind.WovenCall, [moveNext], false);
                continue;
            }

            if (ConstrainedCall.OnEnum(instruction))
            {
                // An enum has no methods of its own: System.Enum's run, never one of the set.
                continue;
            }

            // A constrained call on a value type that implements the member itself runs that one method.
            var targets = (ConstrainedCall.Target(instruction) is { } own ? Targets(own, virtualDispatch: false) : Targets(callee, code == Code.Callvirt)).ToList();
            if (code == Code.Callvirt && targets.Count > 1 && callee.HasThis)
            {
                // Only the overrides the receiver's static type admits: C# names the member's first declaration, so a
                // call on a sealed NpgsqlConnection is one of DbConnection.Open, which every connection type overrides.
                stackTypes ??= StackTypes.Before(method);
                if (stackTypes.TryGetValue(instruction, out var stack) && stack.Length > callee.Parameters.Count
                    && stack[stack.Length - callee.Parameters.Count - 1] is { } receiver)
                {
                    targets = targets.Where(target => MayRun(receiver, target.DeclaringType)).ToList();
                }
            }

            if (targets.Count > 0)
            {
                yield return new GraphCall(instruction, SuspensionSiteKind.WovenCall, targets, false);
            }
            else if (s_reflectionInvokers.Contains(callee.DeclaringType.FullName + "::" + callee.Name))
            {
                yield return new GraphCall(instruction, SuspensionSiteKind.Reflection, [], false);
            }
            else if (Callbacks(callee, loadedHere).ToList() is { Count: > 0 } callbacks)
            {
                yield return new GraphCall(instruction, SuspensionSiteKind.UnwovenCallback, callbacks, false);
            }
        }
    }

    private GraphCall DelegateCall(Instruction instruction, int arity) =>
        new(instruction, SuspensionSiteKind.DelegateCall,
            _addressTaken.Where(t => t.Parameters.Count == arity || (t.IsStatic && t.Parameters.Count == arity + 1)).ToList(),
            _addressTakenBlockingArities.Contains(arity) || _addressTakenBlockingArities.Contains(arity + 1));

    /// <summary>
    /// What a call leaving the set may call back: the delegates this method creates, when the callee takes a
    /// delegate and does not only queue it; and the outside-entered methods of woven types a generic method is
    /// instantiated over (an async builder's <c>Start&lt;TStateMachine&gt;</c> runs the state machine's <c>MoveNext</c>),
    /// those of them the callee may run (<see cref="TypeArgumentUses"/>).
    /// </summary>
    private IEnumerable<MethodDefinition> Callbacks(MethodReference callee, List<MethodDefinition> loadedHere)
    {
        if (loadedHere.Count > 0 && callee.Parameters.Any(p => IsDelegate(p.ParameterType))
            && !GreenletStarters.Schedules(callee) && !ThreadPoolSchedulers.Schedules(callee))
        {
            foreach (var target in loadedHere)
            {
                yield return target;
            }
        }

        // Only a generic method's own type arguments: a generic type's members (List<T>.Add, Nullable<T>'s
        // constructor) are taken not to call back into their T, or every collection of woven types would pin.
        var use = TypeArgumentUses.Of(callee);
        var arguments = use == TypeArgumentUse.None ? null : (callee as GenericInstanceMethod)?.GenericArguments;
        foreach (var argument in arguments ?? Enumerable.Empty<TypeReference>())
        {
            // An array formats as Object does: its elements' members never run.
            if (use == TypeArgumentUse.Formatting && argument is ArrayType)
            {
                continue;
            }

            var element = argument is TypeSpecification spec ? spec.GetElementType() : argument;
            if (Resolution.OrNull(element.Resolve) is { } definition && _wovenTypes.Contains(Key(definition)))
            {
                foreach (var method in definition.Methods.Select(m => _woven[Key(m)]).Where(EnteredFromUnwovenCode.Contains)
                    .Where(m => use != TypeArgumentUse.Formatting || TypeArgumentUses.IsFormatting(m)))
                {
                    yield return method;
                }
            }
        }
    }

    /// <summary>The <c>MoveNext</c> of a state machine type of the set, or null.</summary>
    private MethodDefinition? MoveNext(TypeReference machine)
    {
        var element = machine is TypeSpecification spec ? spec.GetElementType() : machine;
        return Resolution.OrNull(element.Resolve)?.Methods.FirstOrDefault(m => m.Name == "MoveNext" && !m.HasParameters) is { } method
            && _woven.TryGetValue(Key(method), out var own) && own.HasBody
                ? own
                : null;
    }

    /// <summary>The woven methods a call to <paramref name="callee"/> may run.</summary>
    private IEnumerable<MethodDefinition> Targets(MethodReference callee, bool virtualDispatch)
    {
        if (Resolution.OrNull(callee.Resolve) is not { } definition)
        {
            yield break;
        }

        var key = Key(definition);
        if (_woven.TryGetValue(key, out var own) && own.HasBody)
        {
            yield return own;
        }

        if (virtualDispatch && _overriders.TryGetValue(key, out var overriding))
        {
            foreach (var method in overriding)
            {
                yield return method;
            }
        }
    }

    private void IndexOverrides(MethodDefinition method)
    {
        var bases = method.Overrides.Select(o => Resolution.OrNull(o.Resolve)).OfType<MethodDefinition>().ToList();
        for (var type = Resolution.OrNull(() => method.DeclaringType.BaseType?.Resolve()); type is not null; type = Resolution.OrNull(() => type.BaseType?.Resolve()))
        {
            bases.AddRange(SameShape(type, method));
            bases.AddRange(type.Interfaces.Select(i => Resolution.OrNull(i.InterfaceType.Resolve)).OfType<TypeDefinition>().SelectMany(i => SameShape(i, method)));
        }

        bases.AddRange(method.DeclaringType.Interfaces.Select(i => Resolution.OrNull(i.InterfaceType.Resolve)).OfType<TypeDefinition>().SelectMany(i => SameShape(i, method)));
        foreach (var baseMethod in bases)
        {
            var key = Key(baseMethod);
            if (!_overriders.TryGetValue(key, out var list))
            {
                _overriders.Add(key, list = []);
            }

            list.Add(method);
            if (!_woven.ContainsKey(key))
            {
                EnteredFromUnwovenCode.Add(method);
            }
        }
    }

    /// <summary>
    /// Whether a receiver held as <paramref name="receiver"/> may run a method declared by <paramref name="declaring"/>:
    /// an object of that type or one derived from it, or of a type derived from it that inherits the method; true where
    /// the receiver's type cannot be resolved.
    /// </summary>
    private static bool MayRun(TypeReference receiver, TypeDefinition declaring) =>
        MayBe(declaring, receiver) || Resolution.OrNull(receiver.Resolve) is not { } held || MayBe(held, declaring);

    /// <summary>Whether an object of <paramref name="type"/> may be held as <paramref name="declared"/>: the type itself, a base type or an interface of it; true where a type cannot be resolved.</summary>
    private static bool MayBe(TypeDefinition type, TypeReference declared)
    {
        var name = declared.GetElementType().FullName;
        for (TypeDefinition? t = type; t is not null; t = Resolution.OrNull(() => t.BaseType?.Resolve()))
        {
            if (t.FullName == name || t.Interfaces.Any(i => i.InterfaceType.GetElementType().FullName == name))
            {
                return true;
            }

            if (t.BaseType is not null && Resolution.OrNull(t.BaseType.Resolve) is null)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<MethodDefinition> SameShape(TypeDefinition type, MethodDefinition method) =>
        type.Methods.Where(m => m.IsVirtual && m.Name == method.Name && m.Parameters.Count == method.Parameters.Count);

    private static bool IsDelegate(TypeReference type) =>
        Resolution.OrNull(type.Resolve)?.BaseType?.FullName == "System.MulticastDelegate";

    /// <summary>A member's key across the modules of a set: its assembly's simple name and its full name.</summary>
    internal static string Key(IMemberDefinition member) => ((MemberReference)member).Module.Assembly.Name.Name + "!" + member.FullName;
}
