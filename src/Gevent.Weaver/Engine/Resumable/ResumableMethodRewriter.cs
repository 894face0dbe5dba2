using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaving;

/// <summary>
/// Rewrites one method into the frame contract (docs/execution-tiers.md): a nested frame class, the
/// <c>Enter</c>/<c>IsResuming</c> dispatch at entry, <c>Link</c> before each planned site, and after it, when the
/// stack is suspending, save the frame and return. Without liveness (a later stage) the frame keeps every
/// argument and local; the call's own arguments are spilled to locals first, so a resume pushes them again.
/// </summary>
internal sealed class ResumableMethodRewriter
{
    private readonly MethodDefinition method;
    private readonly FrameContract contract;
    private readonly MethodBodyEditor editor;
    private readonly VariableDefinition stack;
    private readonly VariableDefinition linked;
    private readonly VariableDefinition frame;
    private readonly VariableDefinition? result;
    private readonly TypeDefinition frameType;
    private readonly List<(ParameterDefinition Parameter, FieldDefinition Field)> arguments = new();
    private readonly List<(VariableDefinition Local, FieldDefinition Field)> locals = new();

    private ResumableMethodRewriter(MethodDefinition method, IReadOnlyList<ResumableSite> sites, FrameContract contract, MethodBodyEditor editor)
    {
        this.method = method;
        this.contract = contract;
        this.editor = editor;
        var body = method.Body;
        foreach (var type in sites.SelectMany(s => s.Arguments))
        {
            body.Variables.Add(new VariableDefinition(type));
        }

        frameType = new TypeDefinition(string.Empty, $"<{method.Name}>d__Frame{method.DeclaringType.NestedTypes.Count}", TypeAttributes.NestedPrivate | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class, contract.ResumableFrame);
        foreach (var parameter in method.Parameters)
        {
            arguments.Add((parameter, Field("a" + parameter.Index, parameter.ParameterType)));
        }

        foreach (var local in body.Variables)
        {
            locals.Add((local, Field("l" + local.Index, local.VariableType)));
        }

        AddConstructor();
        method.DeclaringType.NestedTypes.Add(frameType);

        stack = Local(contract.FrameStack);
        linked = Local(method.Module.TypeSystem.Boolean);
        frame = Local(frameType);
        result = method.ReturnType.MetadataType == MetadataType.Void ? null : Local(method.ReturnType);
        // The return value while suspending is never read, but verifiable code zeroes its locals anyway.
        body.InitLocals = true;
    }

    /// <summary>Rewrites <paramref name="method"/> to link and save its frame at <paramref name="sites"/>, and marks it <c>[Resumable]</c>.</summary>
    public static void Rewrite(MethodDefinition method, IReadOnlyList<ResumableSite> sites, FrameContract contract, MethodBodyEditor editor)
    {
        var declared = method.Body.Variables.Count;
        var rewriter = new ResumableMethodRewriter(method, sites, contract, editor);
        var resumePoints = new List<Instruction>();
        var spilled = method.Body.Variables.Skip(declared).Take(sites.Sum(s => s.Arguments.Count)).ToList();
        var taken = 0;
        for (var i = 0; i < sites.Count; i++)
        {
            var temps = spilled.Skip(taken).Take(sites[i].Arguments.Count).ToList();
            taken += temps.Count;
            resumePoints.Add(rewriter.RewriteSite(sites[i].Call, state: i + 1, temps));
        }

        rewriter.AddPrologue(resumePoints);
        method.CustomAttributes.Add(new CustomAttribute(contract.ResumableAttribute));
    }

    /// <summary>Spills, links and calls; saves and returns after the call while suspending. Returns where a resume re-enters.</summary>
    private Instruction RewriteSite(Instruction call, int state, IReadOnlyList<VariableDefinition> temps)
    {
        var afterLink = Instruction.Create(OpCodes.Nop);
        var before = new List<Instruction>();
        before.AddRange(temps.Reverse().Select(t => Instruction.Create(OpCodes.Stloc, t)));
        var resumeAt = temps.Count > 0 ? Instruction.Create(OpCodes.Ldloc, temps[0]) : Instruction.Create(OpCodes.Ldloc, linked);
        before.Add(resumeAt);
        before.AddRange(temps.Skip(1).Select(t => Instruction.Create(OpCodes.Ldloc, t)));
        if (temps.Count > 0)
        {
            before.Add(Instruction.Create(OpCodes.Ldloc, linked));
        }

        before.AddRange([
            Instruction.Create(OpCodes.Brfalse, afterLink),
            Instruction.Create(OpCodes.Ldloc, stack),
            Instruction.Create(OpCodes.Callvirt, contract.Link),
            afterLink,
        ]);
        editor.InsertBefore(call, before.ToArray());

        var next = call.Next;
        var after = new List<Instruction>
        {
            Instruction.Create(OpCodes.Ldloc, stack),
            Instruction.Create(OpCodes.Brfalse, next),
            Instruction.Create(OpCodes.Ldloc, stack),
            Instruction.Create(OpCodes.Callvirt, contract.IsSuspending),
            Instruction.Create(OpCodes.Brfalse, next),
        };
        if (((MethodReference)call.Operand).ReturnType.MetadataType != MetadataType.Void)
        {
            after.Add(Instruction.Create(OpCodes.Pop));
        }

        after.AddRange([
            Instruction.Create(OpCodes.Newobj, frameType.Methods.Single(m => m.IsConstructor)),
            Instruction.Create(OpCodes.Stloc, frame),
            Instruction.Create(OpCodes.Ldloc, frame),
            Instruction.Create(OpCodes.Ldc_I4, state),
            Instruction.Create(OpCodes.Callvirt, contract.SetState),
        ]);
        foreach (var (parameter, field) in arguments)
        {
            after.AddRange([Instruction.Create(OpCodes.Ldloc, frame), Instruction.Create(OpCodes.Ldarg, parameter), Instruction.Create(OpCodes.Stfld, field)]);
        }

        foreach (var (local, field) in locals)
        {
            after.AddRange([Instruction.Create(OpCodes.Ldloc, frame), Instruction.Create(OpCodes.Ldloc, local), Instruction.Create(OpCodes.Stfld, field)]);
        }

        after.AddRange([Instruction.Create(OpCodes.Ldloc, stack), Instruction.Create(OpCodes.Ldloc, frame), Instruction.Create(OpCodes.Callvirt, contract.Push)]);
        if (result is not null)
        {
            after.Add(Instruction.Create(OpCodes.Ldloc, result));
        }

        after.Add(Instruction.Create(OpCodes.Ret));
        editor.InsertAfter(call, after.ToArray());
        return resumeAt;
    }

    /// <summary>
    /// stack = FrameStack.Current; linked = stack?.Enter() ?? false; if resuming, pop the frame, restore every
    /// argument and local, and jump to the site it was saved at.
    /// </summary>
    private void AddPrologue(IReadOnlyList<Instruction> resumePoints)
    {
        var body = Instruction.Create(OpCodes.Nop);
        var unlinked = Instruction.Create(OpCodes.Ldc_I4_0);
        var setLinked = Instruction.Create(OpCodes.Stloc, linked);
        var prologue = new List<Instruction>
        {
            Instruction.Create(OpCodes.Call, contract.Current),
            Instruction.Create(OpCodes.Stloc, stack),
            Instruction.Create(OpCodes.Ldloc, stack),
            Instruction.Create(OpCodes.Brfalse, unlinked),
            Instruction.Create(OpCodes.Ldloc, stack),
            Instruction.Create(OpCodes.Callvirt, contract.Enter),
            Instruction.Create(OpCodes.Br, setLinked),
            unlinked,
            setLinked,
            Instruction.Create(OpCodes.Ldloc, linked),
            Instruction.Create(OpCodes.Brfalse, body),
            Instruction.Create(OpCodes.Ldloc, stack),
            Instruction.Create(OpCodes.Callvirt, contract.IsResuming),
            Instruction.Create(OpCodes.Brfalse, body),
            Instruction.Create(OpCodes.Ldloc, stack),
            Instruction.Create(OpCodes.Callvirt, contract.Pop),
            Instruction.Create(OpCodes.Castclass, frameType),
            Instruction.Create(OpCodes.Stloc, frame),
        };
        foreach (var (parameter, field) in arguments)
        {
            prologue.AddRange([Instruction.Create(OpCodes.Ldloc, frame), Instruction.Create(OpCodes.Ldfld, field), Instruction.Create(OpCodes.Starg, parameter)]);
        }

        foreach (var (local, field) in locals)
        {
            prologue.AddRange([Instruction.Create(OpCodes.Ldloc, frame), Instruction.Create(OpCodes.Ldfld, field), Instruction.Create(OpCodes.Stloc, local)]);
        }

        if (resumePoints.Count > 1)
        {
            // States are 1-based (0 is a frame never saved); the last site takes the switch's fall-through.
            prologue.AddRange([
                Instruction.Create(OpCodes.Ldloc, frame),
                Instruction.Create(OpCodes.Callvirt, contract.GetState),
                Instruction.Create(OpCodes.Ldc_I4_1),
                Instruction.Create(OpCodes.Sub),
                Instruction.Create(OpCodes.Switch, resumePoints.Take(resumePoints.Count - 1).ToArray()),
            ]);
        }

        prologue.Add(Instruction.Create(OpCodes.Br, resumePoints[resumePoints.Count - 1]));
        prologue.Add(body);
        editor.InsertAtEntry(prologue.ToArray());
    }

    private FieldDefinition Field(string name, TypeReference type)
    {
        var field = new FieldDefinition(name, FieldAttributes.Public, type);
        frameType.Fields.Add(field);
        return field;
    }

    private VariableDefinition Local(TypeReference type)
    {
        var local = new VariableDefinition(type);
        method.Body.Variables.Add(local);
        return local;
    }

    private void AddConstructor()
    {
        var constructor = new MethodDefinition(".ctor", MethodAttributes.Public | MethodAttributes.HideBySig | MethodAttributes.SpecialName | MethodAttributes.RTSpecialName, method.Module.TypeSystem.Void);
        var il = constructor.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, contract.FrameConstructor);
        il.Emit(OpCodes.Ret);
        frameType.Methods.Add(constructor);
    }
}
