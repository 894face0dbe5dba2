using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// The kinds of the evaluation-stack items before each instruction of a body, found by walking its control
/// flow (as a verifier does, but tracking only what a heap frame cannot hold). Where two paths meet, an
/// item takes the worse kind of the two, so the answer errs towards pinning.
/// </summary>
internal static class EvaluationStack
{
    /// <summary>The stack before every reachable instruction of <paramref name="method"/>, bottom first.</summary>
    public static Dictionary<Instruction, StackItemKind[]> Before(MethodDefinition method, RefLikeTypes types) =>
        Walk(method, StackItemKind.Value, (instruction, before) => Apply(method, instruction, before, types), (a, b) => a >= b ? a : b);

    /// <summary>
    /// The stack before every reachable instruction of <paramref name="method"/>, bottom first, as items
    /// <paramref name="apply"/> computes from the stack before each instruction; where paths meet, items are
    /// combined by <paramref name="merge"/>, and a handler's exception object is <paramref name="exception"/>.
    /// </summary>
    public static Dictionary<Instruction, T[]> Walk<T>(MethodDefinition method, T exception, Func<Instruction, T[], T[]> apply, Func<T, T, T> merge)
    {
        var states = new Dictionary<Instruction, T[]>();
        var work = new Queue<Instruction>();
        void Flow(Instruction? target, T[] stack)
        {
            if (target is null)
            {
                return;
            }

            if (!states.TryGetValue(target, out var known))
            {
                states.Add(target, stack);
                work.Enqueue(target);
            }
            else if (known.Length == stack.Length && known.Zip(stack, merge).ToArray() is var merged && !merged.SequenceEqual(known))
            {
                states[target] = merged;
                work.Enqueue(target);
            }
        }

        var body = method.Body;
        Flow(body.Instructions.FirstOrDefault(), []);
        foreach (var handler in body.ExceptionHandlers)
        {
            // A catch or filter starts with the exception object; finally and fault with nothing.
            Flow(handler.HandlerStart, handler.HandlerType is ExceptionHandlerType.Catch or ExceptionHandlerType.Filter ? [exception] : []);
            Flow(handler.FilterStart, [exception]);
        }

        while (work.Count > 0)
        {
            var instruction = work.Dequeue();
            var after = apply(instruction, states[instruction]);
            switch (instruction.OpCode.FlowControl)
            {
                case FlowControl.Branch:
                    Flow((Instruction)instruction.Operand, after);
                    break;
                case FlowControl.Cond_Branch:
                    foreach (var target in instruction.Operand as Instruction[] ?? [(Instruction)instruction.Operand])
                    {
                        Flow(target, after);
                    }

                    Flow(instruction.Next, after);
                    break;
                case FlowControl.Return or FlowControl.Throw:
                    break;
                default:
                    Flow(instruction.Next, after);
                    break;
            }
        }

        return states;
    }

    /// <summary>How many items a call instruction takes: its arguments, the receiver, and a <c>calli</c>'s pointer.</summary>
    public static int Arguments(Instruction call)
    {
        var signature = (IMethodSignature)call.Operand;
        var receiver = signature.HasThis && !signature.ExplicitThis && call.OpCode.Code != Code.Newobj ? 1 : 0;
        return signature.Parameters.Count + receiver + (call.OpCode.Code == Code.Calli ? 1 : 0);
    }

    /// <summary>
    /// The stack after <paramref name="instruction"/> given <paramref name="before"/>, the one before it: its operands
    /// taken off, then the top item twice for a <c>dup</c>, or the item <paramref name="pushed"/> makes of the operands
    /// (bottom first) for an instruction that pushes one.
    /// </summary>
    public static T[] After<T>(MethodDefinition method, Instruction instruction, T[] before, Func<T[], T> pushed)
    {
        var popped = Pops(method, instruction, before.Length);
        var taken = before.Skip(before.Length - popped).ToArray();
        var stack = before.Take(before.Length - popped).ToList();
        if (instruction.OpCode.Code == Code.Dup)
        {
            stack.AddRange([taken[0], taken[0]]);
        }
        else if (Pushes(instruction))
        {
            stack.Add(pushed(taken));
        }

        return stack.ToArray();
    }

    private static StackItemKind[] Apply(MethodDefinition method, Instruction instruction, StackItemKind[] before, RefLikeTypes types) =>
        After(method, instruction, before, taken => Pushed(method, instruction, taken, types));

    /// <summary>How many items <paramref name="instruction"/> takes from a stack <paramref name="depth"/> deep.</summary>
    public static int Pops(MethodDefinition method, Instruction instruction, int depth) => System.Math.Min(PopsAtMost(method, instruction, depth), depth);

    /// <summary>Whether <paramref name="instruction"/> leaves an item on the stack.</summary>
    public static bool Pushes(Instruction instruction) => instruction.OpCode.StackBehaviourPush switch
    {
        StackBehaviour.Push0 => false,
        StackBehaviour.Varpush => ((IMethodSignature)instruction.Operand).ReturnType.MetadataType != MetadataType.Void,
        _ => true,
    };

    private static int PopsAtMost(MethodDefinition method, Instruction instruction, int depth) => instruction.OpCode.StackBehaviourPop switch
    {
        StackBehaviour.Pop0 => 0,
        StackBehaviour.Pop1 or StackBehaviour.Popi or StackBehaviour.Popref => 1,
        StackBehaviour.Pop1_pop1 or StackBehaviour.Popi_pop1 or StackBehaviour.Popi_popi or StackBehaviour.Popi_popi8
            or StackBehaviour.Popi_popr4 or StackBehaviour.Popi_popr8 or StackBehaviour.Popref_pop1 or StackBehaviour.Popref_popi => 2,
        StackBehaviour.PopAll => depth,
        StackBehaviour.Varpop when instruction.OpCode.Code == Code.Ret => method.ReturnType.MetadataType == MetadataType.Void ? 0 : 1,
        StackBehaviour.Varpop => Arguments(instruction),
        _ => 3,
    };

    private static StackItemKind Pushed(MethodDefinition method, Instruction instruction, StackItemKind[] taken, RefLikeTypes types)
    {
        switch (instruction.OpCode.Code)
        {
            case Code.Ldloca or Code.Ldloca_S or Code.Ldarga or Code.Ldarga_S or Code.Ldflda or Code.Ldsflda or Code.Ldelema or Code.Refanyval or Code.Unbox:
                return StackItemKind.ByRef;
            case Code.Localloc:
                return StackItemKind.LocalAllocPointer;
            case Code.Ldloc_0 or Code.Ldloc_1 or Code.Ldloc_2 or Code.Ldloc_3:
                return types.KindOf(method.Body.Variables[instruction.OpCode.Code - Code.Ldloc_0].VariableType);
            case Code.Ldloc or Code.Ldloc_S:
                return types.KindOf(((VariableDefinition)instruction.Operand).VariableType);
            case Code.Ldarg_0 or Code.Ldarg_1 or Code.Ldarg_2 or Code.Ldarg_3:
                return Argument(method, instruction.OpCode.Code - Code.Ldarg_0, types);
            case Code.Ldarg or Code.Ldarg_S:
                return types.KindOf(((ParameterDefinition)instruction.Operand).ParameterType);
            case Code.Call or Code.Callvirt or Code.Calli:
                return types.KindOf(((IMethodSignature)instruction.Operand).ReturnType);
            case Code.Newobj:
                return types.KindOf(((MethodReference)instruction.Operand).DeclaringType);
            case Code.Ldfld or Code.Ldsfld:
                return types.KindOf(((FieldReference)instruction.Operand).FieldType);
            case Code.Ldobj or Code.Ldelem_Any or Code.Unbox_Any:
                return types.KindOf((TypeReference)instruction.Operand);
            case Code.Add or Code.Sub or Code.Add_Ovf_Un or Code.Sub_Ovf_Un
                or Code.Conv_I or Code.Conv_U or Code.Conv_Ovf_I or Code.Conv_Ovf_U or Code.Conv_Ovf_I_Un or Code.Conv_Ovf_U_Un:
                // Pointer arithmetic and conversions keep pointing where their operand pointed.
                return taken.DefaultIfEmpty(StackItemKind.Value).Max();
            default:
                return StackItemKind.Value;
        }
    }

    private static StackItemKind Argument(MethodDefinition method, int index, RefLikeTypes types)
    {
        if (method.HasThis)
        {
            if (index == 0)
            {
                return method.DeclaringType.IsValueType ? StackItemKind.ByRef : StackItemKind.Value;
            }

            index--;
        }

        return types.KindOf(method.Parameters[index].ParameterType);
    }
}
