namespace Gevent.Patches;

/// <summary>
/// Declares that the replacement it marks never parks the greenlet calling it: it makes an object (a reader), releases or wakes (<c>Dispose</c>,
/// <c>Close</c>, <c>Monitor.Exit</c>, <c>Pulse</c>) and returns. The weaver does not take its call sites for points
/// where a greenlet may suspend, so a <c>using</c> block, or a <c>Dispose</c> in a <c>finally</c>, does not keep the
/// method around it from becoming a resumable frame.
/// </summary>
/// <remarks>
/// What the original runs may still wait (a writer flushing into a green stream as it is disposed): it waits under
/// the replacement, a frame the weaver did not rewrite, so a stackless greenlet pins there as at any such frame.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class NeverWaitsAttribute : Attribute;
