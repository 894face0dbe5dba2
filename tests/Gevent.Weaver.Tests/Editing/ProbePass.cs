using Gevent.Weaver;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver.Tests.Editing;

/// <summary>
/// A pass for tests only: in the methods of a name among those its pipeline admits (<c>Editing</c> and
/// its nested types), lets a test insert probes (<c>ldc.i4 weight; call Editing.Probe(int)</c>) through
/// the method's editor.
/// </summary>
internal sealed class ProbePass(string methodName, Action<ProbeSite> edit) : WeavingPass
{
    public override void VisitMethod(MethodDefinition method, WeavingContext context)
    {
        if (method.Name == methodName)
        {
            edit(new ProbeSite(method, context.Edit(method)));
        }
    }
}

/// <summary>The method a <see cref="ProbePass"/> edits, its editor, and probes to insert.</summary>
internal sealed class ProbeSite(MethodDefinition method, MethodBodyEditor editor)
{
    public MethodDefinition Method => method;

    public MethodBodyEditor Editor => editor;

    /// <summary>The body's instructions as they are now (a copy, safe to edit while iterating).</summary>
    public List<Instruction> Instructions => method.Body.Instructions.ToList();

    /// <summary>A new probe adding <paramref name="weight"/> to <c>Editing.Probes</c>.</summary>
    public Instruction[] Probe(int weight = 1)
    {
        var probe = method.Module.GetType(EditedAssembly.TypeName).Methods.Single(m => m.Name == "Probe");
        return [Instruction.Create(OpCodes.Ldc_I4, weight), Instruction.Create(OpCodes.Call, probe)];
    }

    /// <summary>Every instruction a branch or a switch of the body jumps to.</summary>
    public List<Instruction> BranchTargets() =>
        Instructions.SelectMany(i => i.Operand switch
        {
            Instruction target => [target],
            Instruction[] targets => targets,
            _ => Array.Empty<Instruction>(),
        }).Distinct().ToList();
}
