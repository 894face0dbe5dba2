using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// Base-library members that take a woven type as a generic argument but never run its code: they only read, write
/// or exchange a reference or value atomically (<c>Interlocked.CompareExchange&lt;T&gt;</c>, <c>Volatile.Read&lt;T&gt;</c>), so
/// a call of one is no way into the set's methods and no point where a greenlet may suspend. Matched by name, as the
/// analysis reads callees it need not resolve.
/// </summary>
internal static class NeverCallingBack
{
    /// <summary>Whether <paramref name="callee"/> is one of those members.</summary>
    public static bool Contains(MethodReference callee) =>
        callee.DeclaringType.Namespace == "System.Threading" && callee.DeclaringType.Name is "Interlocked" or "Volatile";
}
