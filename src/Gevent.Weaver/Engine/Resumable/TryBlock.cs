using System.Collections.Generic;
using System.Linq;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// A protected region (the try block of one or more handlers) that encloses a resumable call site. IL cannot
/// branch into a try block but to its first instruction, so a resume reaches the site level by level: the
/// prologue jumps to the outermost block's <see cref="Head"/>, where a dispatch on the saved state jumps to the
/// next block's head or to the site (Roslyn's lowering of <c>await</c> in a <c>try</c>).
/// </summary>
internal sealed class TryBlock(IReadOnlyList<ExceptionHandler> handlers)
{
    /// <summary>The handlers this block is the try block of.</summary>
    public IReadOnlyList<ExceptionHandler> Handlers => handlers;

    /// <summary>The block's first instruction as compiled.</summary>
    public Instruction Start { get; } = handlers[0].TryStart;

    /// <summary>The first instruction after the block as compiled, or null when it ends the body.</summary>
    public Instruction? End { get; } = handlers[0].TryEnd;

    /// <summary>The first instruction of this block's dispatch, which becomes the block's first instruction.</summary>
    public Instruction Head { get; } = Instruction.Create(OpCodes.Nop);

    /// <summary>
    /// For each of <paramref name="calls"/>, the try blocks of <paramref name="body"/> enclosing it, outermost
    /// first; each block once, however many handlers share it.
    /// </summary>
    public static List<List<TryBlock>> Enclosing(MethodBody body, IReadOnlyList<Instruction> calls)
    {
        var index = new Dictionary<Instruction, int>();
        for (var i = 0; i < body.Instructions.Count; i++)
        {
            index.Add(body.Instructions[i], i);
        }

        int IndexOf(Instruction? instruction) => instruction is null ? body.Instructions.Count : index[instruction];
        var blocks = body.ExceptionHandlers
            .GroupBy(h => (h.TryStart, h.TryEnd))
            .Select(g => (Block: new TryBlock(g.ToList()), From: IndexOf(g.Key.TryStart), To: IndexOf(g.Key.TryEnd)))
            .ToList();
        return calls.Select(call => blocks
                .Where(b => b.From <= index[call] && index[call] < b.To)
                .OrderByDescending(b => b.To - b.From)
                .Select(b => b.Block)
                .ToList())
            .ToList();
    }

    /// <summary>Whether <paramref name="instruction"/> lies in this block, given each instruction's index in the body.</summary>
    public bool Contains(Instruction instruction, IReadOnlyDictionary<Instruction, int> index) =>
        index[Head] <= index[instruction] && index[instruction] < (End is null ? int.MaxValue : index[End]);
}
