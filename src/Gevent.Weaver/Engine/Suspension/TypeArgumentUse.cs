namespace Gevent.Weaver;

/// <summary>Which methods of the woven types it is instantiated over a generic method outside the set may run (<see cref="TypeArgumentUses"/>).</summary>
internal enum TypeArgumentUse
{
    /// <summary>Any method of theirs that outside code may enter: what the callee does with them is not known.</summary>
    AnyEnteredMethod,

    /// <summary>None: the callee only names, stores or moves values of the type.</summary>
    None,

    /// <summary>Only their formatting members (<c>ToString</c>, <c>TryFormat</c>), on the value itself and not an array's elements.</summary>
    Formatting,
}
