using System.Diagnostics;
using Gevent.Weaver;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver.Tests.Editing;

/// <summary>
/// Code inserted by <see cref="MethodBodyEditor"/> at the places that break naive insertion, then run:
/// each edited method must JIT-compile and return what the original returns, and the inserted probes
/// must have run exactly as often as the place they were inserted at.
/// </summary>
public sealed class MethodBodyEditorTests : TempFolderTests
{
    [Fact]
    public void CodeInsertedAtBranchTargetsRunsEachTimeABranchArrives()
    {
        using var edited = Edit("SumBelow", site =>
        {
            foreach (var target in site.BranchTargets())
            {
                site.Editor.InsertBefore(target, site.Probe());
            }
        });

        // The loop condition is reached 11 times and the body 10 times; the branches would skip a plain insertion.
        AssertRunsAsTheOriginal(edited, "SumBelow", 10, probes: 21);
    }

    [Fact]
    public void InsertionsThatPushAShortBranchOutOfRangeKeepTheLoopIntact()
    {
        // 40 probes (7 bytes each) at the loop body's start: its short backward branch can no longer reach.
        using var edited = Edit("SumBelow", site =>
        {
            var bodyStart = site.BranchTargets().MinBy(i => i.Offset)!;
            for (var i = 0; i < 40; i++)
            {
                site.Editor.InsertBefore(bodyStart, site.Probe());
            }
        });

        AssertRunsAsTheOriginal(edited, "SumBelow", 10, probes: 400);
    }

    [Fact]
    public void ReplacingABranchTargetKeepsTheBranchesOnIt()
    {
        using var edited = Edit("SumBelow", site =>
        {
            foreach (var target in site.BranchTargets())
            {
                Assert.Equal(Code.Ldloc, target.OpCode.Code);
                site.Editor.Replace(target, [.. site.Probe(), Instruction.Create(OpCodes.Ldloc, (VariableDefinition)target.Operand)]);
            }
        });

        AssertRunsAsTheOriginal(edited, "SumBelow", 10, probes: 21);
    }

    [Fact]
    public void CodeInsertedAtSwitchTargetsRunsForItsOwnCaseOnly()
    {
        using var edited = Edit("Name", site =>
        {
            var targets = (Instruction[])site.Instructions.Single(i => i.OpCode.Code == Code.Switch).Operand;
            for (var i = 0; i < targets.Length; i++)
            {
                site.Editor.InsertBefore(targets[i], site.Probe(1 << (4 * i)));
            }
        });

        edited.Compile("Name");
        foreach (var x in new[] { 0, 1, 1, 2, 3, 3, 3, 4, -1 })
        {
            Assert.Equal(EditedAssembly.CallOriginal("Name", x), edited.Call("Name", x));
        }

        Assert.Equal(0x3121, edited.Probes);
    }

    [Fact]
    public void CodeInsertedAtTheStartOfATryBlockAndOfItsHandlerRunsInsideThem()
    {
        using var edited = Edit("Halve", site =>
        {
            var handler = site.Method.Body.ExceptionHandlers.Single();
            site.Editor.InsertBefore(handler.TryStart, site.Probe(1));
            site.Editor.InsertBefore(handler.HandlerStart, site.Probe(10));
        });

        edited.Compile("Halve");
        Assert.Equal(EditedAssembly.CallOriginal("Halve", 4), edited.Call("Halve", 4));
        Assert.Equal(1, edited.Probes);
        Assert.Equal(EditedAssembly.CallOriginal("Halve", 3), edited.Call("Halve", 3));
        Assert.Equal(12, edited.Probes);
    }

    [Fact]
    public void CodeInsertedAtTheStartOfATryBlockIsProtectedByItsHandler()
    {
        using var edited = Edit("Halve", site => site.Editor.InsertBefore(site.Method.Body.ExceptionHandlers.Single().TryStart, site.Probe()));

        // Outside the try, the probe's exception would escape; inside, the method's catch turns it into -1.
        edited.ProbesThrow = true;
        Assert.Equal(-1, edited.Call("Halve", 4));
        Assert.Equal(1, edited.Probes);
    }

    [Fact]
    public void CodeInsertedBeforeAReturnFromInsideATryRunsOnThatPathOnly()
    {
        // C# returns from a try with leave (ret is not allowed inside one); odd numbers throw instead.
        using var edited = Edit("Halve", site =>
        {
            var handler = site.Method.Body.ExceptionHandlers.Single();
            var leave = site.Instructions.Single(i => i.OpCode.Code == Code.Leave && i.Offset < handler.TryEnd.Offset);
            site.Editor.InsertBefore(leave, site.Probe());
        });

        edited.Compile("Halve");
        Assert.Equal(5, edited.Call("Halve", 10));
        Assert.Equal(-1, edited.Call("Halve", 7));
        Assert.Equal(1, edited.Probes);
    }

    [Fact]
    public void CodeInsertedAtFilterCatchAndFinallyStartsRunsAsTheyDo()
    {
        using var edited = Edit("Classify", site =>
        {
            var handlers = site.Method.Body.ExceptionHandlers;
            var filter = handlers.Single(h => h.HandlerType == ExceptionHandlerType.Filter);
            site.Editor.InsertBefore(filter.FilterStart, site.Probe(1));
            site.Editor.InsertBefore(filter.HandlerStart, site.Probe(10));
            site.Editor.InsertBefore(handlers.Single(h => h.HandlerType == ExceptionHandlerType.Finally).HandlerStart, site.Probe(100));
        });

        edited.Compile("Classify");
        Assert.Equal(5, edited.Call("Classify", 5));
        Assert.Equal(100, edited.Probes);
        Assert.Equal(100, edited.Call("Classify", -1));
        Assert.Equal(211, edited.Probes);
        Assert.Throws<InvalidOperationException>(() => edited.Call("Classify", -2));
        Assert.Equal(312, edited.Probes);
    }

    [Fact]
    public void CodeInsertedAroundAConstrainedCallInAGenericMethodStaysOutsideThePrefix()
    {
        using var edited = Edit("Describe", site =>
        {
            var call = site.Instructions.Single(i => i.OpCode.Code == Code.Callvirt);
            site.Editor.InsertBefore(call, site.Probe(1));
            site.Editor.InsertAfter(call, site.Probe(10));
            Assert.Equal(Code.Constrained, call.Previous.OpCode.Code);
        });

        // Over value types (one constrained call each) and a reference type, JIT-compiled for each.
        edited.Compile("Describe", typeof(int));
        edited.Compile("Describe", typeof(Guid));
        edited.Compile("Describe", typeof(string));
        var guid = Guid.NewGuid();
        Assert.Equal(EditedAssembly.CallOriginal("Describe", 42), edited.Call("Describe", 42));
        Assert.Equal(guid.ToString(), edited.Call("Describe", guid));
        Assert.Equal("text", edited.Call("Describe", "text"));
        Assert.Equal(33, edited.Probes);
    }

    [Fact]
    public void CodeInsertedAtVolatileAccessesStaysOutsideThePrefix()
    {
        using var edited = Edit("VolatileRoundTrip", site =>
        {
            var store = site.Instructions.Single(i => i.OpCode.Code == Code.Stsfld);
            var load = site.Instructions.Single(i => i.OpCode.Code == Code.Ldsfld);
            site.Editor.InsertAfter(store.Previous, site.Probe(1));
            site.Editor.InsertBefore(load, site.Probe(10));
            Assert.All(new[] { store, load }, i => Assert.Equal(Code.Volatile, i.Previous.OpCode.Code));
        });

        edited.Compile("VolatileRoundTrip");
        Assert.Equal(7, edited.Call("VolatileRoundTrip", 7));
        Assert.Equal(11, edited.Probes);
    }

    [Fact]
    public void NothingIsInsertedWhereItCouldNotRunOrWouldSplitATailCall()
    {
        var module = ModuleDefinition.CreateModule("Fixture", ModuleKind.Dll);
        var method = new MethodDefinition("TailCall", MethodAttributes.Static, module.TypeSystem.Void);
        var il = method.Body.GetILProcessor();
        var tail = il.Create(OpCodes.Tail);
        var call = il.Create(OpCodes.Call, method);
        var ret = il.Create(OpCodes.Ret);
        il.Append(tail);
        il.Append(call);
        il.Append(ret);
        var editor = new MethodBodyEditor(method);

        Assert.Throws<InvalidOperationException>(() => editor.InsertAfter(call, il.Create(OpCodes.Nop)));
        Assert.Throws<InvalidOperationException>(() => editor.InsertAfter(tail, il.Create(OpCodes.Nop)));
        Assert.Throws<InvalidOperationException>(() => editor.InsertAfter(ret, il.Create(OpCodes.Nop)));
        Assert.Throws<InvalidOperationException>(() => editor.Replace(call, il.Create(OpCodes.Nop)));
        editor.InsertBefore(call, il.Create(OpCodes.Nop));
        Assert.Equal([Code.Nop, Code.Tail, Code.Call, Code.Ret], method.Body.Instructions.Select(i => i.OpCode.Code));
    }

    [Fact]
    public async Task AnAsyncStateMachineKeepsItsSteppingInformation()
    {
        using var edited = Edit("MoveNext", site =>
        {
            foreach (var resume in AsyncSteps(site.Method).Resumes)
            {
                site.Editor.InsertBefore(site.Instructions.Single(i => i.Offset == resume.Offset), site.Probe(10));
            }

            site.Editor.InsertBefore(site.Instructions[0], site.Probe(1));
        });

        // MoveNext runs twice (start, then resume after the yield), the resume point once.
        Assert.Equal(42, await (Task<int>)edited.Call("DoubleLaterAsync", 21)!);
        Assert.Equal(12, edited.Probes);

        using var original = ModuleDefinition.ReadModule(Woven.OriginalPath, new ReaderParameters { ReadSymbols = true });
        using var module = ModuleDefinition.ReadModule(edited.Path, new ReaderParameters { ReadSymbols = true });
        var (before, after) = (AsyncSteps(MoveNext(original)), AsyncSteps(MoveNext(module)));
        // A task-returning async method has no catch handler of its own; insertion must not invent one.
        Assert.Equal(-1, before.CatchHandler.Offset);
        Assert.Equal(-1, after.CatchHandler.Offset);
        Assert.Equal(before.Yields.Count, after.Yields.Count);
        var resumed = Assert.Single(after.Resumes);
        Assert.Equal(Code.Ldc_I4_S, MoveNext(module).Body.Instructions.Single(i => i.Offset == resumed.Offset).OpCode.Code);
    }

    [Fact]
    public void SequencePointsFollowTheCodeInsertedBeforeEveryInstruction()
    {
        List<int> lines = [];
        int count = 0, branch = 0, target = 0;
        using var edited = Edit("Fail", site =>
        {
            lines = site.Method.DebugInformation.SequencePoints.Select(p => p.StartLine).ToList();
            var instructions = site.Instructions;
            (count, branch) = (instructions.Count, instructions.FindIndex(i => i.OpCode.FlowControl == FlowControl.Cond_Branch));
            target = instructions.IndexOf((Instruction)instructions[branch].Operand);
            foreach (var instruction in instructions)
            {
                site.Editor.InsertBefore(instruction, site.Probe());
            }
        });

        // Each line's point moved to the probe now in front of its first instruction; the scope covers them all.
        using (var module = ModuleDefinition.ReadModule(edited.Path, new ReaderParameters { ReadSymbols = true }))
        {
            var fail = module.GetType(EditedAssembly.TypeName).Methods.Single(m => m.Name == "Fail");
            var points = fail.DebugInformation.SequencePoints;
            Assert.Equal(lines, points.Select(p => p.StartLine));
            Assert.All(points, p => Assert.Equal(Code.Ldc_I4_1, fail.Body.Instructions.Single(i => i.Offset == p.Offset).OpCode.Code));
            Assert.Equal(0, fail.DebugInformation.Scope.Start.Offset);
        }

        // The stack trace of the throw names the throw statement's line, as the original's does.
        var original = FailLine(() => EditedAssembly.CallOriginal("Fail", 1));
        var throwLine = Array.FindIndex(File.ReadAllLines(original.File), l => l.Contains("throw new InvalidOperationException(\"positive\")")) + 1;
        Assert.Equal(throwLine, original.Line);
        Assert.Equal(throwLine, FailLine(() => edited.Call("Fail", 1)).Line);
        // One probe per instruction run: up to the throw, then up to the branch and from its target.
        Assert.Equal(target, edited.Probes);
        Assert.Null(edited.Call("Fail", 0));
        Assert.Equal(target + branch + 1 + count - target, edited.Probes);
    }

    private EditedAssembly Edit(string method, Action<ProbeSite> edit) => EditedAssembly.Create(Folder, method, edit);

    /// <summary>JIT-compiles <paramref name="method"/>, runs it as the original, and checks the probes that ran.</summary>
    private static void AssertRunsAsTheOriginal(EditedAssembly edited, string method, int argument, int probes)
    {
        edited.Compile(method);
        Assert.Equal(EditedAssembly.CallOriginal(method, argument), edited.Call(method, argument));
        Assert.Equal(probes, edited.Probes);
    }

    private static MethodDefinition MoveNext(ModuleDefinition module) =>
        module.GetType(EditedAssembly.TypeName).NestedTypes.Single(t => t.Name.Contains("DoubleLaterAsync")).Methods.Single(m => m.Name == "MoveNext");

    private static AsyncMethodBodyDebugInformation AsyncSteps(MethodDefinition moveNext) =>
        moveNext.CustomDebugInformations.OfType<AsyncMethodBodyDebugInformation>().Single();

    private static (string File, int Line) FailLine(Action fail)
    {
        var error = Assert.Throws<InvalidOperationException>(fail);
        var frame = new StackTrace(error, fNeedFileInfo: true).GetFrame(0)!;
        return (frame.GetFileName()!, frame.GetFileLineNumber());
    }
}
