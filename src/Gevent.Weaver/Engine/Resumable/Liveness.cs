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
/// value a handler reads stays live across the block. A local or argument whose address is taken is always live, but a
/// tracked ref-struct local (<see cref="TrackedRefStructLocals"/>): taking its address reads it, and its constructor or
/// <c>initobj</c> writes it. Instructions are read in their short forms too (<c>ldloc.0</c>), as the analysis sees them.
/// </summary>
internal sealed class Liveness
{
    private readonly MethodBody _body;
    private readonly TrackedRefStructLocals _tracked;
    private readonly int _locals;
    private readonly Dictionary<Instruction, BitArray> _liveIn = new();
    private readonly Dictionary<Instruction, int> _index = new();

    private Liveness(MethodBody body, TrackedRefStructLocals tracked)
    {
        _body = body;
        _tracked = tracked;
        _locals = body.Variables.Count;
        for (var i = 0; i < body.Instructions.Count; i++)
        {
            _index.Add(body.Instructions[i], i);
        }
    }

    /// <summary>
    /// For each of <paramref name="instructions"/>, the locals and arguments (in index order) live once it has run and
    /// falls through; <paramref name="tracked"/> are <paramref name="method"/>'s ref-struct locals whose liveness is exact.
    /// </summary>
    public static List<(IReadOnlyList<VariableDefinition> Locals, IReadOnlyList<ParameterDefinition> Arguments)> After(MethodDefinition method, IEnumerable<Instruction> instructions, TrackedRefStructLocals tracked)
    {
        var liveness = new Liveness(method.Body, tracked);
        liveness.Solve(method);
        return instructions.Select(i => liveness.Decode(method, liveness.Following(i) is { } next ? liveness._liveIn[next] : liveness.Empty())).ToList();
    }

    private BitArray Empty() => new(_locals + _body.Method.Parameters.Count + 1);

    private void Solve(MethodDefinition method)
    {
        var instructions = _body.Instructions;
        var successors = instructions.ToDictionary(i => i, Successors);
        var always = Empty();
        foreach (var instruction in instructions)
        {
            if (Access(method, instruction) is { Address: true } access && !(TrackedRefStructLocals.AddressOf(instruction) is { } local && _tracked.Locals.Contains(local)))
            {
                always[access.Slot] = true;
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

                if (_tracked.Writes.TryGetValue(instruction, out var written))
                {
                    live[written.Index] = false;
                }
                else if (Access(method, instruction) is { } access && !_tracked.WritingAddresses.Contains(instruction))
                {
                    live[access.Slot] = access.Reads || always[access.Slot];
                }

                if (!Same(live, _liveIn[instruction]))
                {
                    _liveIn[instruction] = live;
                    changed = true;
                }
            }
        }
    }

    /// <summary>The bit of the local or argument <paramref name="instruction"/> reads (loads or takes the address of) or writes, if any.</summary>
    private (int Slot, bool Reads, bool Address)? Access(MethodDefinition method, Instruction instruction)
    {
        var code = instruction.OpCode.Code;
        var (reads, address) = code switch
        {
            Code.Ldloca or Code.Ldloca_S or Code.Ldarga or Code.Ldarga_S => (true, true),
            Code.Stloc or Code.Stloc_S or Code.Stloc_0 or Code.Stloc_1 or Code.Stloc_2 or Code.Stloc_3 or Code.Starg or Code.Starg_S => (false, false),
            _ => (true, false),
        };
        int? slot = code switch
        {
            Code.Ldloc_0 or Code.Ldloc_1 or Code.Ldloc_2 or Code.Ldloc_3 => code - Code.Ldloc_0,
            Code.Stloc_0 or Code.Stloc_1 or Code.Stloc_2 or Code.Stloc_3 => code - Code.Stloc_0,
            Code.Ldloc or Code.Ldloc_S or Code.Stloc or Code.Stloc_S or Code.Ldloca or Code.Ldloca_S => ((VariableDefinition)instruction.Operand).Index,
            Code.Ldarg_0 or Code.Ldarg_1 or Code.Ldarg_2 or Code.Ldarg_3 => ArgumentSlot(method, code - Code.Ldarg_0),
            Code.Ldarg or Code.Ldarg_S or Code.Starg or Code.Starg_S or Code.Ldarga or Code.Ldarga_S when instruction.Operand is ParameterDefinition parameter =>
                parameter == _body.ThisParameter ? _locals + method.Parameters.Count : _locals + parameter.Index,
            _ => null,
        };
        return slot is { } found ? (found, reads, address) : null;
    }

    /// <summary>The bit of argument <paramref name="index"/> as <c>ldarg.N</c> counts (<c>this</c> first).</summary>
    private int ArgumentSlot(MethodDefinition method, int index) =>
        !method.HasThis ? _locals + index : index == 0 ? _locals + method.Parameters.Count : _locals + index - 1;

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

        if (instruction.OpCode.FlowControl is not (FlowControl.Branch or FlowControl.Return or FlowControl.Throw) && Following(instruction) is { } next)
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

    /// <summary>
    /// The instruction after <paramref name="instruction"/> in the body, by position: an instruction the catalog's
    /// rewriting replaced can keep a stale <see cref="Instruction.Next"/> while the analysis reads the woven body.
    /// </summary>
    private Instruction? Following(Instruction instruction) =>
        _index[instruction] + 1 < _body.Instructions.Count ? _body.Instructions[_index[instruction] + 1] : null;

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
