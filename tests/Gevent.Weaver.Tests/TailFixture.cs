using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver.Tests;

/// <summary>
/// C# never emits <c>tail.</c>, so the fixture is made by hand before weaving:
/// <c>public static void TailFixture.TailSleep(int) { ldarg.0; tail. call Thread::Sleep(int32); ret }</c>.
/// </summary>
internal static class TailFixture
{
    public const string TypeName = "AssemblyToProcess.TailFixture";

    public static void Add(ModuleDefinition module)
    {
        // The module's own reference to Thread.Sleep(int), as the compiler wrote it for Sleeping.Plain.
        var sleep = module.GetType("AssemblyToProcess.Sleeping").Methods.Single(m => m.Name == "Plain").Body.Instructions
            .Select(i => i.Operand).OfType<MethodReference>().Single(m => m.Name == "Sleep");
        var type = new TypeDefinition("AssemblyToProcess", "TailFixture", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed, module.TypeSystem.Object);
        var method = new MethodDefinition("TailSleep", MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, module.TypeSystem.Void);
        method.Parameters.Add(new ParameterDefinition("milliseconds", ParameterAttributes.None, module.TypeSystem.Int32));
        var il = method.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Tail);
        il.Emit(OpCodes.Call, sleep);
        il.Emit(OpCodes.Ret);
        type.Methods.Add(method);
        module.Types.Add(type);
    }
}
