using System;
using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// Every place a method's debug information points at an instruction — sequence points, local scopes,
/// state machine scopes, async catch/yield/resume points — tied to the instruction itself. Cecil exposes
/// these references only as offsets, which inserted code shares with the original instructions; the
/// anchors are taken while the offsets are still those of the body as read, where each is unique.
/// </summary>
internal sealed class DebugAnchors
{
    private readonly List<Anchor> _anchors = new();
    private readonly Dictionary<int, Instruction> _byOffset = new();
    private readonly List<AsyncMethodBodyDebugInformation> _withoutCatchHandler = new();

    public DebugAnchors(MethodDefinition method)
    {
        foreach (var instruction in method.Body.Instructions)
        {
            if (!_byOffset.ContainsKey(instruction.Offset))
            {
                _byOffset.Add(instruction.Offset, instruction);
            }
        }

        var debug = method.DebugInformation;
        var points = debug.SequencePoints;
        for (var i = 0; i < points.Count; i++)
        {
            var index = i;
            Add(new InstructionOffset(points[i].Offset), to => points[index] = Moved(points[index], to));
        }

        AddScope(debug.Scope);
        foreach (var information in method.CustomDebugInformations)
        {
            switch (information)
            {
                case StateMachineScopeDebugInformation stateMachine:
                    foreach (var scope in stateMachine.Scopes)
                    {
                        Add(scope.Start, to => scope.Start = new InstructionOffset(to));
                        Add(scope.End, to => scope.End = new InstructionOffset(to));
                    }

                    break;
                case AsyncMethodBodyDebugInformation asyncBody:
                    if (asyncBody.CatchHandler is { IsEndOfMethod: false, Offset: < 0 })
                    {
                        _withoutCatchHandler.Add(asyncBody);
                    }

                    Add(asyncBody.CatchHandler, to => asyncBody.CatchHandler = new InstructionOffset(to));
                    AddAll(asyncBody.Yields);
                    AddAll(asyncBody.Resumes);
                    break;
            }
        }
    }

    /// <summary>Points every anchor at <paramref name="from"/> at <paramref name="to"/> instead.</summary>
    public void Redirect(Instruction from, Instruction to)
    {
        foreach (var anchor in _anchors)
        {
            if (anchor.Instruction == from)
            {
                anchor.Move(to);
                anchor.Instruction = to;
            }
        }
    }

    /// <summary>
    /// Called after each change to the instruction list: Cecil then resolves an async method's absent
    /// catch handler (offset -1, as in every async method that returns a task) to the first instruction,
    /// which would give the method a catch handler it does not have.
    /// </summary>
    public void KeepAbsentCatchHandlersAbsent()
    {
        foreach (var asyncBody in _withoutCatchHandler)
        {
            asyncBody.CatchHandler = new InstructionOffset(-1);
        }
    }

    private static SequencePoint Moved(SequencePoint point, Instruction to) => new(to, point.Document)
    {
        StartLine = point.StartLine,
        StartColumn = point.StartColumn,
        EndLine = point.EndLine,
        EndColumn = point.EndColumn,
    };

    private void AddScope(ScopeDebugInformation? scope)
    {
        if (scope is null)
        {
            return;
        }

        Add(scope.Start, to => scope.Start = new InstructionOffset(to));
        Add(scope.End, to => scope.End = new InstructionOffset(to));
        foreach (var inner in scope.Scopes)
        {
            AddScope(inner);
        }
    }

    private void AddAll(IList<InstructionOffset> offsets)
    {
        for (var i = 0; i < offsets.Count; i++)
        {
            var index = i;
            Add(offsets[i], to => offsets[index] = new InstructionOffset(to));
        }
    }

    /// <summary>An anchor for <paramref name="offset"/> unless it is the end of the method (no instruction) or points nowhere.</summary>
    private void Add(InstructionOffset offset, Action<Instruction> move)
    {
        if (!offset.IsEndOfMethod && _byOffset.TryGetValue(offset.Offset, out var instruction))
        {
            _anchors.Add(new Anchor(instruction, move));
        }
    }

    private sealed class Anchor(Instruction instruction, Action<Instruction> move)
    {
        public Instruction Instruction { get; set; } = instruction;

        public void Move(Instruction to) => move(to);
    }
}
