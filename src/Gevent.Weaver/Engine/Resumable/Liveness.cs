using System.Collections;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// Which locals and arguments of a body may still be read after each of some instructions (backward liveness,
/// Kilim's model): a resumable frame saves only those at a call site. Exceptions are taken to leave from any
/// instruction of a try block to its handlers, and a <c>leave</c> to pass through the finally blocks it exits, so a
/// value a handler reads stays live across the block. A local or argument whose address is taken is always live.
/// </summary>
internal sealed class Liveness
{
    private readonly MethodBody _body;
    private readonly int _locals;
    private readonly Dictionary<Instruction, BitArray> _liveIn = new();
    private readonly Dictionary<Instruction, int> _index = new();

    private Liveness(MethodBody body)
    {
        _body = body;
        _locals = body.Variables.Count;
        for (var i = 0; i < body.Instructions.Count; i++)
        {
            _index.Add(body.Instructions[i], i);
        }
    }

    /// <summary>For each of <paramref name="instructions"/>, the locals and arguments (in index order) live once it has run and falls through.</summary>
    public static List<(IReadOnlyList<VariableDefinition> Locals, IReadOnlyList<ParameterDefinition> Arguments)> After(MethodDefinition method, IEnumerable<Instruction> instructions)
    {
        var liveness = new Liveness(method.Body);
        liveness.Solve(method);
        return instructions.Select(i => liveness.Decode(method, i.Next is null ? liveness.Empty() : liveness._liveIn[i.Next])).ToList();
    }

    private BitArray Empty() => new(_locals + _body.Method.Parameters.Count + 1);

    private void Solve(MethodDefinition method)
    {
        var instructions = _body.Instructions;
        var successors = instructions.ToDictionary(i => i, Successors);
        var always = Empty();
        foreach (var instruction in instructions)
        {
            if (Slot(method, instruction) is { } slot && instruction.OpCode.Code is Code.Ldloca or Code.Ldarga)
            {
                always[slot] = true;
            }
        }

        foreach (var instruction in instructions)
        {
            _liveIn[instruction] = new BitArray(always);
        }

        // Round-robin from the end: bodies are small and the sets only grow.
        for (var changed = true; changed;)
        {
            changed = false;
            for (var i = instructions.Count - 1; i >= 0; i--)
            {
                var instruction = instructions[i];
                var live = new BitArray(always);
                foreach (var next in successors[instruction])
                {
                    live.Or(_liveIn[next]);
                }

                if (Slot(method, instruction) is { } slot)
                {
                    live[slot] = instruction.OpCode.Code is Code.Ldloc or Code.Ldarg or Code.Ldloca or Code.Ldarga || always[slot];
                }

                if (!Same(live, _liveIn[instruction]))
                {
                    _liveIn[instruction] = live;
                    changed = true;
                }
            }
        }
    }

    /// <summary>A local's or argument's bit when <paramref name="instruction"/> reads or writes one (its form as simplified).</summary>
    private int? Slot(MethodDefinition method, Instruction instruction) => instruction.OpCode.Code switch
    {
        Code.Ldloc or Code.Stloc or Code.Ldloca => ((VariableDefinition)instruction.Operand).Index,
        Code.Ldarg or Code.Starg or Code.Ldarga when instruction.Operand is ParameterDefinition parameter =>
            parameter == _body.ThisParameter ? _locals + method.Parameters.Count : _locals + parameter.Index,
        _ => null,
    };

    private IEnumerable<Instruction> Successors(Instruction instruction)
    {
        var code = instruction.OpCode.Code;
        var targets = new List<Instruction>();
        if (instruction.Operand is Instruction target)
        {
            targets.Add(target);
        }
        else if (instruction.Operand is Instruction[] cases)
        {
            targets.AddRange(cases);
        }

        if (instruction.OpCode.FlowControl is not (FlowControl.Branch or FlowControl.Return or FlowControl.Throw) && instruction.Next is { } next)
        {
            targets.Add(next);
        }

        foreach (var handler in _body.ExceptionHandlers)
        {
            var inTry = Within(instruction, handler.TryStart, handler.TryEnd);
            if (inTry)
            {
                targets.Add(handler.FilterStart ?? handler.HandlerStart);
                targets.Add(handler.HandlerStart);
            }

            if (code is Code.Leave && inTry && handler.HandlerType == ExceptionHandlerType.Finally && !Within((Instruction)instruction.Operand, handler.TryStart, handler.TryEnd))
            {
                targets.Add(handler.HandlerStart);
            }

            if (code is Code.Endfinally && Within(instruction, handler.HandlerStart, handler.HandlerEnd))
            {
                // Where the finally goes on to: wherever a leave of its try block goes.
                targets.AddRange(_body.Instructions.Where(i => i.OpCode.Code == Code.Leave && Within(i, handler.TryStart, handler.TryEnd)).Select(i => (Instruction)i.Operand));
            }
        }

        return targets.Distinct();
    }

    private bool Within(Instruction instruction, Instruction start, Instruction? end) =>
        _index[start] <= _index[instruction] && (end is null || _index[instruction] < _index[end]);

    private (IReadOnlyList<VariableDefinition>, IReadOnlyList<ParameterDefinition>) Decode(MethodDefinition method, BitArray live) =>
        (_body.Variables.Where(v => live[v.Index]).ToList(), method.Parameters.Where(p => live[_locals + p.Index]).ToList());

    private static bool Same(BitArray a, BitArray b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}
