using System.Collections.Concurrent;
using System.Reflection;

namespace Gevent.CompilerServices;

/// <summary>
/// Which method a virtual or interface call runs for a receiver's type, and whether it follows the frame contract:
/// what <see cref="FrameStack.LinkVirtual"/> asks before linking. Resolved once per receiver type and called method
/// (reflection), then read from a cache.
/// </summary>
internal static class VirtualDispatch
{
    // Keyed by handles, not Type objects: hashing and comparing three pointers keeps a hit cheap on the linking path.
    private static readonly ConcurrentDictionary<Call, bool> s_resumable = new();

    /// <summary>Whether a call of the method (<paramref name="method"/>, <paramref name="declaringType"/>) on a <paramref name="receiver"/> runs a <c>[Resumable]</c> method.</summary>
    public static bool RunsResumable(Type receiver, RuntimeMethodHandle method, RuntimeTypeHandle declaringType)
    {
        var call = new Call(receiver.TypeHandle.Value, declaringType.Value, method.Value);
        return s_resumable.TryGetValue(call, out var resumable)
            ? resumable
            : s_resumable.GetOrAdd(call, Runs(receiver, MethodBase.GetMethodFromHandle(method, declaringType)) is { } runs && runs.IsDefined(typeof(ResumableAttribute), inherit: false));
    }

    /// <summary>The method a virtual call of <paramref name="called"/> runs on a <paramref name="receiver"/>, or null where it cannot be told.</summary>
    private static MethodInfo? Runs(Type receiver, MethodBase? called)
    {
        if (called is not MethodInfo declared || declared.DeclaringType is not { } declaring)
        {
            return null;
        }

        if (declared.IsGenericMethod)
        {
            declared = declared.GetGenericMethodDefinition();
        }

        if (declaring.IsInterface)
        {
            try
            {
                var map = receiver.GetInterfaceMap(declaring);
                var index = Array.FindIndex(map.InterfaceMethods, m => Same(m, declared));
                return index < 0 ? null : map.TargetMethods[index];
            }
            catch (ArgumentException)
            {
                // Arrays' generic interfaces have no map; the call is then not linked.
                return null;
            }
        }

        // The most derived override: the first method up from the receiver's type whose root is the called one's.
        var root = declared.GetBaseDefinition();
        for (var type = receiver; type is not null; type = type.BaseType)
        {
            var own = type.GetMethods(BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .FirstOrDefault(m => m.IsVirtual && Same(m.GetBaseDefinition(), root));
            if (own is not null)
            {
                return own;
            }
        }

        return null;
    }

    private static bool Same(MethodInfo a, MethodInfo b) => a.MetadataToken == b.MetadataToken && a.Module == b.Module;

    /// <summary>A receiver's type, the called method's declaring type (a shared generic method's handle needs it) and the method.</summary>
    private readonly record struct Call(IntPtr Receiver, IntPtr Declaring, IntPtr Method);
}
