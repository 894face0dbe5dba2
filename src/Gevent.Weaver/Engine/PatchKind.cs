namespace Gevent.Weaving;

/// <summary>
/// The engine's copy of the runtime's <c>Gevent.Patches.PatchKind</c>: the catalog is read as metadata
/// (the runtime is never loaded into the weaver), and kinds are matched by name.
/// </summary>
public enum PatchKind
{
    /// <summary>A static method.</summary>
    Static,

    /// <summary>An instance method; the replacement takes the receiver first.</summary>
    Instance,

    /// <summary>A virtual method seen through a base type; the replacement takes the receiver first.</summary>
    Virtual,

    /// <summary>A constructor; the replacement is a factory.</summary>
    Constructor,

    /// <summary>A property getter.</summary>
    Getter,
}
