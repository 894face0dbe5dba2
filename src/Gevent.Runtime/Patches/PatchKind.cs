namespace Gevent.Patches;

/// <summary>
/// The shape of the member a replacement stands in for. The replacement always has the same
/// evaluation-stack shape as the original call, so the weaver only swaps the call's operand.
/// </summary>
public enum PatchKind
{
    /// <summary>A static method; the replacement takes the same parameters.</summary>
    Static,

    /// <summary>
    /// An instance method called with <c>call</c> or <c>callvirt</c> on the declaring type (or a type
    /// deriving from it that does not override it); the replacement's first parameter is the receiver.
    /// </summary>
    Instance,

    /// <summary>
    /// A virtual method seen through a base type (<c>callvirt Stream::Read</c>); the replacement's first
    /// parameter is the receiver, which it type-tests before making the virtual call itself.
    /// </summary>
    Virtual,

    /// <summary>A constructor (<c>newobj</c>); the replacement is a factory with the same parameters returning the type or a subclass.</summary>
    Constructor,

    /// <summary>A property getter; the replacement takes the receiver (none for a static property).</summary>
    Getter,
}
