using System.Collections.Generic;
using System.Linq;

namespace Gevent.Weaver;

/// <summary>A method on a suspendable path, with every call site of it that may suspend.</summary>
public sealed class SuspendableMethod
{
    internal SuspendableMethod(string name, IReadOnlyList<SuspensionSite> sites, bool enteredFromUnwovenCode)
    {
        Name = name;
        Sites = sites;
        EnteredFromUnwovenCode = enteredFromUnwovenCode;
    }

    /// <summary>The method: <c>Type::Name</c>.</summary>
    public string Name { get; }

    /// <summary>Its call sites that may suspend, in IL order.</summary>
    public IReadOnlyList<SuspensionSite> Sites { get; }

    /// <summary>
    /// Whether the resumable frames can capture it: every site can be captured stacklessly, but those that pin alone
    /// (inside a handler: <see cref="PinReasons.PinsOnlyItsSite"/>), which still count among the pins.
    /// </summary>
    public bool Capturable => Sites.All(s => s.Reasons.All(PinReasons.PinsOnlyItsSite));

    /// <summary>
    /// Whether code outside the woven set may call it (its address is taken, or it overrides or implements a
    /// member declared outside the set): entered that way, its suspensions pin whatever its sites say.
    /// </summary>
    public bool EnteredFromUnwovenCode { get; }
}
