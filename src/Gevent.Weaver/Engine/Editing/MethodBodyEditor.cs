using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace Gevent.Weaver;

/// <summary>
/// Inserts and replaces instructions in one method body so that it stays valid and keeps its debug
/// information. On creation the body's short forms are expanded (so an insertion cannot push a short
/// branch out of range); <see cref="Complete"/> shortens them again. Until then, an inserted instruction
/// carries the offset as read of the place it was inserted at, so sites reported by later passes keep
/// pointing into the original body. Cecil recomputes the maximum stack depth of every body it writes.
/// </summary>
internal sealed class MethodBodyEditor
{
    private readonly MethodDefinition _method;
    private readonly MethodBody _body;
    private readonly DebugAnchors _debug;

    public MethodBodyEditor(MethodDefinition method)
    {
        _method = method;
        _body = method.Body;
        _debug = new DebugAnchors(method);
        _body.SimplifyMacros();
    }

    /// <summary>
    /// Inserts <paramref name="instructions"/> so that they run every time <paramref name="target"/> would:
    /// before its prefixes, with every branch, handler boundary, scope and sequence point that started at
    /// it moved to the first inserted instruction. At the first instruction of a try block or a handler
    /// the code runs inside it; at the end of one, after it.
    /// </summary>
    public void InsertBefore(Instruction target, params Instruction[] instructions)
    {
        var start = FirstPrefix(target);
        InsertAt(_body.Instructions.IndexOf(start), start.Offset, instructions);
        Redirect(start, instructions[0]);
    }

    /// <summary>
    /// Inserts <paramref name="instructions"/> at the method's entry, to run once per call: unlike
    /// <see cref="InsertBefore"/>, a branch back to the first instruction (a loop at the top of the body) skips them.
    /// </summary>
    public void InsertAtEntry(params Instruction[] instructions) => InsertAt(0, 0, instructions);

    /// <summary>
    /// Inserts <paramref name="instructions"/> to run when <paramref name="target"/> (with its prefixes)
    /// completes and falls through to the next instruction; a branch to that next instruction skips them.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing runs after <paramref name="target"/> (a tail call, a branch, a return or a throw).</exception>
    public void InsertAfter(Instruction target, params Instruction[] instructions)
    {
        var prefixed = PrefixedInstruction(target);
        if (HasPrefix(FirstPrefix(prefixed), prefixed, Code.Tail))
        {
            throw new InvalidOperationException($"{_method.FullName}: nothing may follow the tail call {prefixed} but ret.");
        }

        if (prefixed.OpCode.FlowControl is FlowControl.Branch or FlowControl.Return or FlowControl.Throw)
        {
            throw new InvalidOperationException($"{_method.FullName}: code inserted after {prefixed} would never run.");
        }

        var next = prefixed.Next;
        InsertAt(next is null ? _body.Instructions.Count : _body.Instructions.IndexOf(next), next?.Offset ?? prefixed.Offset, instructions);
    }

    /// <summary>
    /// Replaces <paramref name="target"/> with <paramref name="instructions"/>: everything that pointed at it
    /// (branches, handler boundaries, scopes, its sequence point) points at the first of them.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="target"/> is a prefix or has one, which would then apply to another instruction.</exception>
    public void Replace(Instruction target, params Instruction[] instructions)
    {
        if (target.OpCode.OpCodeType == OpCodeType.Prefix || FirstPrefix(target) != target)
        {
            throw new InvalidOperationException($"{_method.FullName}: replace a prefixed instruction together with its prefixes, never apart ({target}).");
        }

        var index = _body.Instructions.IndexOf(target);
        instructions[0].Offset = target.Offset;
        // Setting the slot, unlike removing, leaves the sequence points alone: Redirect moves target's own.
        _body.Instructions[index] = instructions[0];
        InsertAt(index + 1, target.Offset, instructions.Skip(1));
        Redirect(target, instructions[0]);
    }

    /// <summary>Shortens the body's instructions again and recomputes their offsets; called once, after the last pass.</summary>
    public void Complete() => _body.OptimizeMacros();

    private void InsertAt(int index, int offset, IEnumerable<Instruction> instructions)
    {
        foreach (var instruction in instructions)
        {
            instruction.Offset = offset;
            _body.Instructions.Insert(index++, instruction);
        }

        _debug.KeepAbsentCatchHandlersAbsent();
    }

    /// <summary>Points everything that refers to <paramref name="from"/> as a place in the body at <paramref name="to"/>.</summary>
    private void Redirect(Instruction from, Instruction to)
    {
        foreach (var instruction in _body.Instructions)
        {
            if (instruction.Operand == from)
            {
                instruction.Operand = to;
            }
            else if (instruction.Operand is Instruction[] targets)
            {
                for (var i = 0; i < targets.Length; i++)
                {
                    if (targets[i] == from)
                    {
                        targets[i] = to;
                    }
                }
            }
        }

        foreach (var handler in _body.ExceptionHandlers)
        {
            handler.TryStart = handler.TryStart == from ? to : handler.TryStart;
            handler.TryEnd = handler.TryEnd == from ? to : handler.TryEnd;
            handler.FilterStart = handler.FilterStart == from ? to : handler.FilterStart;
            handler.HandlerStart = handler.HandlerStart == from ? to : handler.HandlerStart;
            handler.HandlerEnd = handler.HandlerEnd == from ? to : handler.HandlerEnd;
        }

        _debug.Redirect(from, to);
    }

    /// <summary>The first of the prefixes before <paramref name="instruction"/>, or the instruction itself: nothing may come between them.</summary>
    private static Instruction FirstPrefix(Instruction instruction)
    {
        while (instruction.Previous is { OpCode.OpCodeType: OpCodeType.Prefix } prefix)
        {
            instruction = prefix;
        }

        return instruction;
    }

    /// <summary>The instruction <paramref name="instruction"/> prefixes (past a chain of prefixes), or itself.</summary>
    private static Instruction PrefixedInstruction(Instruction instruction)
    {
        while (instruction.OpCode.OpCodeType == OpCodeType.Prefix && instruction.Next is { } next)
        {
            instruction = next;
        }

        return instruction;
    }

    private static bool HasPrefix(Instruction first, Instruction prefixed, Code prefix)
    {
        for (var instruction = first; instruction != prefixed; instruction = instruction.Next)
        {
            if (instruction.OpCode.Code == prefix)
            {
                return true;
            }
        }

        return false;
    }
}
