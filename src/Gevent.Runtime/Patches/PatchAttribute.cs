namespace Gevent.Patches;

/// <summary>
/// Declares that the public static method it marks replaces a blocking BCL member in patched code.
/// The weaver reads these from <c>Gevent.Runtime.dll</c>: adding a patch never touches the weaver.
/// </summary>
/// <remarks>
/// The original is found by <see cref="DeclaringType"/>'s full name (for a generic type, its open
/// form, e.g. <c>typeof(Task&lt;&gt;)</c>), <see cref="MemberName"/>, and the replacement's own
/// parameters: for <see cref="PatchKind.Instance"/>, <see cref="PatchKind.Virtual"/> and instance
/// <see cref="PatchKind.Getter"/>s, all but the first (the receiver); otherwise all of them. A generic
/// declaring type's arguments are the replacement's first generic parameters; any further ones are the
/// original method's own. Outside a greenlet every replacement calls the original, unchanged.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class PatchAttribute : Attribute
{
    /// <summary>Declares a replacement for <paramref name="declaringType"/>.<paramref name="memberName"/>.</summary>
    public PatchAttribute(Type declaringType, string memberName, PatchKind kind, PatchStrategy strategy)
    {
        DeclaringType = declaringType;
        MemberName = memberName;
        Kind = kind;
        Strategy = strategy;
    }

    /// <summary>The type declaring the original member.</summary>
    public Type DeclaringType { get; }

    /// <summary>The original's name: a method name, <c>.ctor</c>, or a property name for a getter.</summary>
    public string MemberName { get; }

    /// <summary>The original's shape.</summary>
    public PatchKind Kind { get; }

    /// <summary>How the replacement cooperates.</summary>
    public PatchStrategy Strategy { get; }
}
