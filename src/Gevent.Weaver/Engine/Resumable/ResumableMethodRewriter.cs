using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// Rewrites one method into the frame contract (docs/execution-tiers.md): a nested <see cref="FrameClass"/>, the
/// <c>Enter</c>/<c>IsResuming</c> dispatch at entry, <c>Link</c> before each planned site, and after it, when the
/// stack is suspending, save the frame and return (leaving every try block, whose finally blocks are guarded not to
/// run then). A resume re-enters try blocks through a dispatch at the head of each. Each site saves only the
/// arguments and locals live after its call (<see cref="Liveness"/>), and what is on the stack at the call (its
/// arguments and any values below them), which is spilled to locals first so that a resume pushes it again.
/// </summary>
internal sealed class ResumableMethodRewriter
{
    private readonly MethodDefinition _method;
    private readonly FrameContract _contract;
    private readonly MethodBodyEditor _editor;
    private readonly VariableDefinition _stack;
    private readonly VariableDefinition _linked;
    private readonly VariableDefinition _frame;
    private readonly VariableDefinition? _result;
    private readonly FrameClass _frameClass;
    private readonly Dictionary<ParameterDefinition, FieldReference> _arguments = new();
    private readonly Dictionary<VariableDefinition, FieldReference> _locals = new();

    // Per site: the locals its call's stack is spilled to (none for a byref taken again from its local), and what is
    // saved there (live after the call, and the spill).
    private readonly List<IReadOnlyList<VariableDefinition?>> _spills = new();
    private readonly List<(IReadOnlyList<VariableDefinition> Locals, IReadOnlyList<ParameterDefinition> Arguments)> _saved = new();

    // Only where a site is inside a try block: the state being resumed, which the blocks' dispatches read, and
    // the return outside every block that suspending leaves to.
    private readonly VariableDefinition? _resumeState;
    private readonly Instruction[]? _epilogue;

    private ResumableMethodRewriter(MethodDefinition method, IReadOnlyList<ResumableSite> sites, FrameContract contract, MethodBodyEditor editor, bool inTry)
    {
        _method = method;
        _contract = contract;
        _editor = editor;
        var body = method.Body;
        var types = new RefLikeTypes();
        var live = Liveness.After(method, sites.Select(s => s.Call), TrackedRefStructLocals.Of(method, types));
        if (live.SelectMany(l => l.Locals).FirstOrDefault(l => types.KindOf(l.VariableType) == StackItemKind.RefStruct) is { } kept)
        {
            // The analysis pins a site a ref-struct local is live across; a frame field of its type would not load.
            throw new WeavingException($"{method.FullName} would keep its ref-struct local {kept.Index} in a frame.");
        }

        _frameClass = new FrameClass(method, contract);
        // A byref parameter is passed again by the caller that resumes the method (RetakenByRefArguments): never saved.
        var passedAgain = RetakenByRefArguments.Of(method);
        for (var i = 0; i < sites.Count; i++)
        {
            var site = sites[i];
            var spill = site.Stack.Select((type, slot) => site.Retaken.ContainsKey(slot) ? null : new VariableDefinition(type!)).ToList();
            var temps = spill.OfType<VariableDefinition>().ToList();
            temps.ForEach(body.Variables.Add);
            _spills.Add(spill);
            _saved.Add((live[i].Locals.Concat(temps).ToList(), live[i].Arguments.Except(passedAgain).ToList()));
        }

        // One field per local or argument saved at any site (Kilim keeps a class per site; one class keeps the type count down).
        foreach (var parameter in _saved.SelectMany(s => s.Arguments).Distinct().OrderBy(a => a.Index))
        {
            _arguments.Add(parameter, _frameClass.AddField("a" + parameter.Index, parameter.ParameterType));
        }

        foreach (var local in _saved.SelectMany(s => s.Locals).Distinct().OrderBy(l => l.Index))
        {
            _locals.Add(local, _frameClass.AddField("l" + local.Index, local.VariableType));
        }

        _stack = Local(contract.FrameStack);
        _linked = Local(method.Module.TypeSystem.Boolean);
        _frame = Local(_frameClass.Instance);
        _result = method.ReturnType.MetadataType == MetadataType.Void ? null : Local(method.ReturnType);
        if (inTry)
        {
            _resumeState = Local(method.Module.TypeSystem.Int32);
            _epilogue = Return();
        }

        // The return value while suspending is never read, but verifiable code zeroes its locals anyway.
        body.InitLocals = true;
    }

    /// <summary>Rewrites <paramref name="method"/> to link and save its frame at <paramref name="sites"/>, and marks it <c>[Resumable]</c>.</summary>
    public static void Rewrite(MethodDefinition method, IReadOnlyList<ResumableSite> sites, FrameContract contract, MethodBodyEditor editor)
    {
        var blocks = TryBlock.Enclosing(method.Body, sites.Select(s => s.Call).ToList());
        var guarded = blocks.SelectMany(chain => chain).Distinct().SelectMany(b => b.Handlers).Where(h => h.HandlerType == ExceptionHandlerType.Finally).ToList();
        var rewriter = new ResumableMethodRewriter(method, sites, contract, editor, inTry: blocks.Any(chain => chain.Count > 0));
        var resumePoints = new List<Instruction>();
        for (var i = 0; i < sites.Count; i++)
        {
            resumePoints.Add(rewriter.ResumePoint(sites[i], rewriter._spills[i], inTry: blocks[i].Count > 0));
        }

        // Dispatches and guards go in while the handlers' boundaries are still the compiled instructions.
        rewriter.AddDispatches(blocks, resumePoints);
        foreach (var handler in guarded)
        {
            rewriter.GuardFinally(handler);
        }

        for (var i = 0; i < sites.Count; i++)
        {
            rewriter.RewriteSite(sites[i], state: i + 1, resumePoints[i], inTry: blocks[i].Count > 0);
        }

        rewriter.AddPrologue(sites.Select((_, i) => blocks[i].Count > 0 ? blocks[i][0].Head : resumePoints[i]).ToList());
        method.CustomAttributes.Add(new CustomAttribute(contract.ResumableAttribute));
    }

    /// <summary>
    /// The first instruction of a site's rewritten code, where a resume re-enters. Inside a try block it clears the
    /// resume state, so that a later entry into an enclosing block (a loop) does not dispatch again.
    /// </summary>
    private Instruction ResumePoint(ResumableSite site, IReadOnlyList<VariableDefinition?> temps, bool inTry) =>
        inTry ? Instruction.Create(OpCodes.Ldc_I4_0)
        : temps.Count > 0 ? Load(site, 0, temps[0])[0]
        : Instruction.Create(OpCodes.Ldloc, _linked);

    /// <summary>Pushes a spilled stack slot again: a byref taken again by the instructions that took it (<see cref="RetakenStack"/>).</summary>
    private static Instruction[] Load(ResumableSite site, int slot, VariableDefinition? temp) =>
        temp is not null ? [Instruction.Create(OpCodes.Ldloc, temp)] : site.Retaken[slot].Select(Copy).ToArray();

    private static Instruction Copy(Instruction instruction) => instruction.Operand switch
    {
        VariableDefinition local => Instruction.Create(instruction.OpCode, local),
        ParameterDefinition parameter => Instruction.Create(instruction.OpCode, parameter),
        FieldReference field => Instruction.Create(instruction.OpCode, field),
        _ => throw new WeavingException($"A retaken argument's instruction {instruction} cannot be copied."),
    };

    /// <summary>Spills a stack slot: a byref taken again is dropped.</summary>
    private static Instruction Store(VariableDefinition? temp) =>
        temp is null ? Instruction.Create(OpCodes.Pop) : Instruction.Create(OpCodes.Stloc, temp);

    /// <summary>Spills, links and calls; saves and returns after the call while suspending (by a <c>leave</c> from inside a try block).</summary>
    private void RewriteSite(ResumableSite site, int state, Instruction resumeAt, bool inTry)
    {
        var call = site.Call;
        if (site.StartsStateMachine)
        {
            call.Operand = _contract.StartInPlaceOf((GenericInstanceMethod)call.Operand);
        }

        var temps = _spills[state - 1];
        var afterLink = Instruction.Create(OpCodes.Nop);
        var before = new List<Instruction>();
        before.AddRange(temps.Reverse().Select(Store));
        before.Add(resumeAt);
        // Outside a try block the resume point is the first slot's first instruction.
        var first = temps.Take(1).SelectMany(t => Load(site, 0, t));
        if (inTry)
        {
            before.Add(Instruction.Create(OpCodes.Stloc, _resumeState!));
            before.AddRange(first);
        }
        else
        {
            before.AddRange(first.Skip(1));
        }

        before.AddRange(temps.Select((t, slot) => (t, slot)).Skip(1).SelectMany(p => Load(site, p.slot, p.t)));
        if (temps.Count > 0 || inTry)
        {
            before.Add(Instruction.Create(OpCodes.Ldloc, _linked));
        }

        before.AddRange([Instruction.Create(OpCodes.Brfalse, afterLink), Instruction.Create(OpCodes.Ldloc, _stack)]);
        before.AddRange(site.Dispatched ? LinkVirtual(site, temps) : [Instruction.Create(OpCodes.Callvirt, _contract.Link)]);
        before.Add(afterLink);
        _editor.InsertBefore(call, before.ToArray());

        var next = call.Next;
        var after = new List<Instruction>
        {
            Instruction.Create(OpCodes.Ldloc, _stack),
            Instruction.Create(OpCodes.Brfalse, next),
            Instruction.Create(OpCodes.Ldloc, _stack),
            Instruction.Create(OpCodes.Callvirt, _contract.IsSuspending),
            Instruction.Create(OpCodes.Brfalse, next),
        };
        if (((MethodReference)call.Operand).ReturnType.MetadataType != MetadataType.Void)
        {
            after.Add(Instruction.Create(OpCodes.Pop));
        }

        // What lay below the arguments is in the spill locals, saved with the rest: a return needs an empty stack.
        after.AddRange(Enumerable.Range(0, site.Below).Select(_ => Instruction.Create(OpCodes.Pop)));

        after.AddRange([
            Instruction.Create(OpCodes.Newobj, _frameClass.Constructor),
            Instruction.Create(OpCodes.Stloc, _frame),
            Instruction.Create(OpCodes.Ldloc, _frame),
            Instruction.Create(OpCodes.Ldc_I4, state),
            Instruction.Create(OpCodes.Callvirt, _contract.SetState),
        ]);
        foreach (var parameter in _saved[state - 1].Arguments)
        {
            after.AddRange([Instruction.Create(OpCodes.Ldloc, _frame), Instruction.Create(OpCodes.Ldarg, parameter), Instruction.Create(OpCodes.Stfld, _arguments[parameter])]);
        }

        foreach (var local in _saved[state - 1].Locals)
        {
            after.AddRange([Instruction.Create(OpCodes.Ldloc, _frame), Instruction.Create(OpCodes.Ldloc, local), Instruction.Create(OpCodes.Stfld, _locals[local])]);
        }

        after.AddRange([Instruction.Create(OpCodes.Ldloc, _stack), Instruction.Create(OpCodes.Ldloc, _frame), Instruction.Create(OpCodes.Callvirt, _contract.Push)]);
        if (inTry)
        {
            // ret is not allowed in a protected region; the guarded finally blocks on the way out do not run.
            after.Add(Instruction.Create(OpCodes.Leave, _epilogue![0]));
        }
        else
        {
            after.AddRange(Return());
        }

        _editor.InsertAfter(call, after.ToArray());
    }

    /// <summary>
    /// <c>stack.LinkVirtual(receiver, method, declaringType)</c> for a virtual call, the receiver read from its spill: the
    /// link is set only where the receiver's override is resumable.
    /// </summary>
    private Instruction[] LinkVirtual(ResumableSite site, IReadOnlyList<VariableDefinition?> temps)
    {
        var callee = (MethodReference)site.Call.Operand;
        var receiver = temps[temps.Count - callee.Parameters.Count - 1]
            ?? throw new WeavingException($"{_method.FullName}: the receiver of the virtual call {callee} is not spilled.");
        return [
            Instruction.Create(OpCodes.Ldloc, receiver),
            Instruction.Create(OpCodes.Ldtoken, callee),
            Instruction.Create(OpCodes.Ldtoken, callee.DeclaringType),
            Instruction.Create(OpCodes.Callvirt, _contract.LinkVirtual),
        ];
    }

    /// <summary>
    /// At the head of every try block enclosing a site, a dispatch on the resume state: to the next enclosing
    /// block's head or to the site when the saved state is one of the block's sites, else on into the block
    /// (the state is 0 unless resuming). Blocks sharing a first instruction (try/catch inside try/finally) get
    /// their dispatches in a row, outermost first; a block starting there that encloses no site (<c>using var c = …;
    /// try { c.Open(); } finally { … }</c>, whose <c>using</c> block starts with the inner try) is nested in all of
    /// them, and starts after the dispatches, which branch out of it otherwise.
    /// </summary>
    private void AddDispatches(IReadOnlyList<List<TryBlock>> blocks, IReadOnlyList<Instruction> resumePoints)
    {
        var body = _method.Body.Instructions;
        foreach (var sameStart in blocks.SelectMany(chain => chain).Distinct().GroupBy(b => b.Start))
        {
            var row = sameStart.OrderByDescending(b => b.End is null ? int.MaxValue : body.IndexOf(b.End)).ToList();
            var dispatch = new List<Instruction>();
            for (var r = 0; r < row.Count; r++)
            {
                var block = row[r];
                var onward = r + 1 < row.Count ? row[r + 1].Head : Instruction.Create(OpCodes.Nop);
                var targets = blocks.Select((chain, i) => chain.IndexOf(block) is var level and >= 0
                    ? (level + 1 < chain.Count ? chain[level + 1].Head : resumePoints[i])
                    : onward).ToArray();
                dispatch.AddRange([
                    block.Head,
                    Instruction.Create(OpCodes.Ldloc, _resumeState!),
                    Instruction.Create(OpCodes.Ldc_I4_1),
                    Instruction.Create(OpCodes.Sub),
                    Instruction.Create(OpCodes.Switch, targets),
                ]);
                if (r + 1 == row.Count)
                {
                    dispatch.Add(onward);
                }
            }

            var branches = body.Where(i => i.Operand == sameStart.Key || (i.Operand is Instruction[] targets && targets.Contains(sameStart.Key))).ToList();
            var rowHandlers = row.SelectMany(b => b.Handlers).ToList();
            var nested = _method.Body.ExceptionHandlers.Where(h => h.TryStart == sameStart.Key && !rowHandlers.Contains(h)).ToList();
            // Everything that pointed at the block's first instruction now points at the first dispatch: right for
            // the handlers and for branches from outside; the inner blocks start at their own heads, and a branch
            // from inside one must stay inside it.
            _editor.InsertBefore(sameStart.Key, dispatch.ToArray());
            foreach (var inner in row.Skip(1))
            {
                foreach (var handler in inner.Handlers)
                {
                    handler.TryStart = inner.Head;
                }
            }

            nested.ForEach(h => h.TryStart = sameStart.Key);
            var index = body.Select((instruction, i) => (instruction, i)).ToDictionary(p => p.instruction, p => p.i);
            foreach (var branch in branches)
            {
                // A branch from inside a nested block stays inside it: it skips the dispatches, as a fresh run does.
                var innermost = nested.Any(h => index[sameStart.Key] <= index[branch] && (h.TryEnd is null || index[branch] < index[h.TryEnd])) ? sameStart.Key
                    : row.LastOrDefault(b => b.Contains(branch, index))?.Head ?? row[0].Head;
                if (branch.Operand is Instruction[] targets)
                {
                    for (var t = 0; t < targets.Length; t++)
                    {
                        targets[t] = targets[t] == row[0].Head ? innermost : targets[t];
                    }
                }
                else
                {
                    branch.Operand = innermost;
                }
            }
        }
    }

    /// <summary>A finally block enclosing a site must not run while the frame is leaving its try to suspend.</summary>
    private void GuardFinally(ExceptionHandler handler)
    {
        var run = Instruction.Create(OpCodes.Nop);
        _editor.InsertBefore(handler.HandlerStart, [
            Instruction.Create(OpCodes.Ldloc, _stack),
            Instruction.Create(OpCodes.Brfalse, run),
            Instruction.Create(OpCodes.Ldloc, _stack),
            Instruction.Create(OpCodes.Callvirt, _contract.IsSuspending),
            Instruction.Create(OpCodes.Brfalse, run),
            Instruction.Create(OpCodes.Endfinally),
            run,
        ]);
    }

    /// <summary>Returns the method's default result (its value while suspending is never read).</summary>
    private Instruction[] Return() => _result is null
        ? [Instruction.Create(OpCodes.Ret)]
        : [Instruction.Create(OpCodes.Ldloc, _result), Instruction.Create(OpCodes.Ret)];

    /// <summary>
    /// stack = FrameStack.Current; linked = stack?.Enter() ?? false; if resuming, pop the frame, restore what the
    /// site it was saved at kept, and jump to that site, or to the head of the outermost try block enclosing it.
    /// </summary>
    private void AddPrologue(IReadOnlyList<Instruction> resumePoints)
    {
        var body = Instruction.Create(OpCodes.Nop);
        var unlinked = Instruction.Create(OpCodes.Ldc_I4_0);
        var setLinked = Instruction.Create(OpCodes.Stloc, _linked);
        var prologue = new List<Instruction>
        {
            Instruction.Create(OpCodes.Call, _contract.Current),
            Instruction.Create(OpCodes.Stloc, _stack),
            Instruction.Create(OpCodes.Ldloc, _stack),
            Instruction.Create(OpCodes.Brfalse, unlinked),
            Instruction.Create(OpCodes.Ldloc, _stack),
            Instruction.Create(OpCodes.Callvirt, _contract.Enter),
            Instruction.Create(OpCodes.Br, setLinked),
            unlinked,
            setLinked,
            Instruction.Create(OpCodes.Ldloc, _linked),
            Instruction.Create(OpCodes.Brfalse, body),
            Instruction.Create(OpCodes.Ldloc, _stack),
            Instruction.Create(OpCodes.Callvirt, _contract.IsResuming),
            Instruction.Create(OpCodes.Brfalse, body),
            Instruction.Create(OpCodes.Ldloc, _stack),
            Instruction.Create(OpCodes.Callvirt, _contract.Pop),
            Instruction.Create(OpCodes.Castclass, _frameClass.Instance),
            Instruction.Create(OpCodes.Stloc, _frame),
        };
        if (_resumeState is not null)
        {
            prologue.AddRange([
                Instruction.Create(OpCodes.Ldloc, _frame),
                Instruction.Create(OpCodes.Callvirt, _contract.GetState),
                Instruction.Create(OpCodes.Stloc, _resumeState),
            ]);
        }

        // Per state, restore what that site saved and jump to it.
        var restores = _saved.Select((saved, i) => saved.Arguments
                .SelectMany(p => new[] { Instruction.Create(OpCodes.Ldloc, _frame), Instruction.Create(OpCodes.Ldfld, _arguments[p]), Instruction.Create(OpCodes.Starg, p) })
                .Concat(saved.Locals.SelectMany(l => new[] { Instruction.Create(OpCodes.Ldloc, _frame), Instruction.Create(OpCodes.Ldfld, _locals[l]), Instruction.Create(OpCodes.Stloc, l) }))
                .Append(Instruction.Create(OpCodes.Br, resumePoints[i]))
                .ToList())
            .ToList();
        if (restores.Count > 1)
        {
            // States are 1-based (0 is a frame never saved); the last site takes the switch's fall-through.
            prologue.AddRange(_resumeState is null
                ? [Instruction.Create(OpCodes.Ldloc, _frame), Instruction.Create(OpCodes.Callvirt, _contract.GetState)]
                : [Instruction.Create(OpCodes.Ldloc, _resumeState)]);
            prologue.AddRange([
                Instruction.Create(OpCodes.Ldc_I4_1),
                Instruction.Create(OpCodes.Sub),
                Instruction.Create(OpCodes.Switch, restores.Take(restores.Count - 1).Select(r => r[0]).ToArray()),
            ]);
        }

        prologue.AddRange(restores[restores.Count - 1].Concat(restores.Take(restores.Count - 1).SelectMany(r => r)));
        // Outside every try block and reached by no fall-through: where a suspension inside one leaves to.
        prologue.AddRange(_epilogue ?? []);
        prologue.Add(body);
        _editor.InsertAtEntry(prologue.ToArray());
    }

    private VariableDefinition Local(TypeReference type)
    {
        var local = new VariableDefinition(type);
        _method.Body.Variables.Add(local);
        return local;
    }
}
