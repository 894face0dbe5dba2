namespace Gevent.Weaver;

/// <summary>What a <see cref="PinReason"/> keeps out of the resumable frames.</summary>
public static class PinReasons
{
    /// <summary>
    /// Whether <paramref name="reason"/> pins only the site it is found at, which the resumable frames leave unlinked,
    /// rather than the whole method: a call inside a catch, finally, fault or filter block (<see cref="PinReason.InsideHandler"/>).
    /// </summary>
    public static bool PinsOnlyItsSite(PinReason reason) => reason == PinReason.InsideHandler;
}
