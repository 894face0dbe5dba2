using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// The types of the evaluation-stack items before each instruction of a body, as far as a local can hold them:
/// what a resumable call site spills when values lie below its arguments (<c>x + Call()</c>, <c>Foo(a, Call())</c>).
/// An item is null where its type is not known for sure (a <c>null</c> literal, paths meeting with different types,
/// an instruction not modelled); a site with such an item below its arguments is not linked.
/// </summary>
internal static class StackTypes
{
    /// <summary>The typed stack before every reachable instruction of <paramref name="method"/>, bottom first.</summary>
    public static Dictionary<Instruction, TypeReference?[]> Before(MethodDefinition method) =>
        EvaluationStack.Walk<TypeReference?>(method, null, (instruction, before) => Apply(method, instruction, before), Merge);

    /// <summary>
    /// <paramref name="type"/>, declared by a member of <paramref name="owner"/> (or by <paramref name="callee"/>), as the
    /// calling method sees it (the reference's type arguments put in), or null where it cannot say or it is a byref.
    /// </summary>
    public static TypeReference? InCaller(TypeReference type, TypeReference owner, MethodReference? callee) =>
        type.IsByReference ? null : GenericSubstitution.AsCallerSees(type, owner, callee);

    private static TypeReference? Merge(TypeReference? a, TypeReference? b) => a is not null && b is not null && a.FullName == b.FullName ? a : null;

    private static TypeReference?[] Apply(MethodDefinition method, Instruction instruction, TypeReference?[] before) =>
        EvaluationStack.After(method, instruction, before, taken => Pushed(method, instruction, taken));

    private static TypeReference? Pushed(MethodDefinition method, Instruction instruction, TypeReference?[] taken)
    {
        var system = method.Module.TypeSystem;
        return instruction.OpCode.Code switch
        {
            Code.Ldc_I4_M1 or Code.Ldc_I4_0 or Code.Ldc_I4_1 or Code.Ldc_I4_2 or Code.Ldc_I4_3 or Code.Ldc_I4_4 or Code.Ldc_I4_5
                or Code.Ldc_I4_6 or Code.Ldc_I4_7 or Code.Ldc_I4_8 or Code.Ldc_I4_S or Code.Ldc_I4 => system.Int32,
            Code.Ldc_I8 => system.Int64,
            Code.Ldc_R4 => system.Single,
            Code.Ldc_R8 => system.Double,
            Code.Ldstr => system.String,
            Code.Ldloc_0 or Code.Ldloc_1 or Code.Ldloc_2 or Code.Ldloc_3 => Storable(method.Body.Variables[instruction.OpCode.Code - Code.Ldloc_0].VariableType),
            Code.Ldloc or Code.Ldloc_S => Storable(((VariableDefinition)instruction.Operand).VariableType),
            Code.Ldarg_0 or Code.Ldarg_1 or Code.Ldarg_2 or Code.Ldarg_3 => Argument(method, instruction.OpCode.Code - Code.Ldarg_0),
            Code.Ldarg or Code.Ldarg_S => Storable(((ParameterDefinition)instruction.Operand).ParameterType),
            Code.Ldfld or Code.Ldsfld when instruction.Operand is FieldReference field => InCaller(field.FieldType, field.DeclaringType, null),
            Code.Call or Code.Callvirt when instruction.Operand is MethodReference callee => InCaller(callee.ReturnType, callee.DeclaringType, callee),
            Code.Newobj => Storable(((MethodReference)instruction.Operand).DeclaringType),
            Code.Castclass or Code.Isinst or Code.Unbox_Any or Code.Ldobj or Code.Ldelem_Any => Storable((TypeReference)instruction.Operand),
            Code.Box => system.Object,
            Code.Ldelem_Ref => taken[0] is ArrayType { Rank: 1 } array ? Storable(array.ElementType) : null,
            Code.Ceq or Code.Cgt or Code.Cgt_Un or Code.Clt or Code.Clt_Un or Code.Sizeof
                or Code.Conv_I1 or Code.Conv_I2 or Code.Conv_I4 or Code.Conv_U1 or Code.Conv_U2 or Code.Conv_U4
                or Code.Conv_Ovf_I1 or Code.Conv_Ovf_I2 or Code.Conv_Ovf_I4 or Code.Conv_Ovf_U1 or Code.Conv_Ovf_U2 or Code.Conv_Ovf_U4
                or Code.Conv_Ovf_I1_Un or Code.Conv_Ovf_I2_Un or Code.Conv_Ovf_I4_Un or Code.Conv_Ovf_U1_Un or Code.Conv_Ovf_U2_Un or Code.Conv_Ovf_U4_Un
                or Code.Ldelem_I1 or Code.Ldelem_I2 or Code.Ldelem_I4 or Code.Ldelem_U1 or Code.Ldelem_U2 or Code.Ldelem_U4 => system.Int32,
            Code.Conv_I8 or Code.Conv_U8 or Code.Conv_Ovf_I8 or Code.Conv_Ovf_U8 or Code.Conv_Ovf_I8_Un or Code.Conv_Ovf_U8_Un or Code.Ldelem_I8 => system.Int64,
            Code.Conv_R4 or Code.Ldelem_R4 => system.Single,
            Code.Conv_R8 or Code.Conv_R_Un or Code.Ldelem_R8 => system.Double,
            Code.Add or Code.Sub or Code.Mul or Code.Div or Code.Rem or Code.Div_Un or Code.Rem_Un or Code.And or Code.Or or Code.Xor
                or Code.Add_Ovf or Code.Add_Ovf_Un or Code.Sub_Ovf or Code.Sub_Ovf_Un or Code.Mul_Ovf or Code.Mul_Ovf_Un =>
                Arithmetic(method.Module, taken[0]) is { } left && Arithmetic(method.Module, taken[1]) is { } right && left.FullName == right.FullName ? left : null,
            Code.Neg or Code.Not or Code.Shl or Code.Shr or Code.Shr_Un => Arithmetic(method.Module, taken[0]),
            _ => null,
        };
    }

    /// <summary>The type an integer or floating-point item computes in: small integers widen to <c>int</c> on the stack.</summary>
    private static TypeReference? Arithmetic(ModuleDefinition module, TypeReference? type) => type?.MetadataType switch
    {
        MetadataType.Boolean or MetadataType.Char or MetadataType.SByte or MetadataType.Byte or MetadataType.Int16 or MetadataType.UInt16
            or MetadataType.Int32 or MetadataType.UInt32 => module.TypeSystem.Int32,
        MetadataType.Int64 or MetadataType.UInt64 => module.TypeSystem.Int64,
        MetadataType.Single => module.TypeSystem.Single,
        MetadataType.Double => module.TypeSystem.Double,
        _ => null,
    };

    private static TypeReference? Argument(MethodDefinition method, int index)
    {
        if (method.HasThis)
        {
            if (index == 0)
            {
                // A value type's this is a byref; a generic type's is the type over its own parameters.
                return method.DeclaringType.IsValueType ? null : method.Body.ThisParameter.ParameterType;
            }

            index--;
        }

        return Storable(method.Parameters[index].ParameterType);
    }

    /// <summary>A type the method's own signature or locals give: a local of the method and a field of its frame can hold it unless it is a byref.</summary>
    private static TypeReference? Storable(TypeReference type) => type.IsByReference || GenericSubstitution.Apply(type, p => p) is null ? null : type;
}
