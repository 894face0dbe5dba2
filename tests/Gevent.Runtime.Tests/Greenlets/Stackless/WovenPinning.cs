using Gevent.CompilerServices;

namespace Gevent.Tests.Greenlets.Stackless;

/// <summary>
/// Hand-woven methods (as in <see cref="Woven"/>) whose blocking points cannot suspend, one per pin reason:
/// the weaver opens a pin scope where the frame cannot be saved, and the runtime finds the rest itself.
/// </summary>
internal static class WovenPinning
{
    /// <summary>lock (gate) { Greenlet.Sleep(nap); }</summary>
    [Resumable]
    public static void SleepHoldingLock(object gate, TimeSpan nap)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        lock (gate)
        {
            using (linked ? stack!.Pin(PinReason.MonitorHeld) : default)
            {
                if (linked)
                {
                    stack!.Link();
                }

                Greenlet.Sleep(nap);
            }
        }
    }

    /// <summary>try { } finally { Greenlet.Sleep(nap); }</summary>
    [Resumable]
    public static void SleepInFinally(TimeSpan nap)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        try
        {
        }
        finally
        {
            using (linked ? stack!.Pin(PinReason.InsideHandler) : default)
            {
                if (linked)
                {
                    stack!.Link();
                }

                Greenlet.Sleep(nap);
            }
        }
    }

    /// <summary>new List&lt;TimeSpan&gt; { nap }.ForEach(n =&gt; Woven.SleepTimes(1, n, null)); — List.ForEach is not woven.</summary>
    [Resumable]
    public static void SleepThroughUnwovenCode(TimeSpan nap)
    {
        // The call leaves the woven set, so the weaver links nothing: SleepTimes is entered unlinked.
        _ = FrameStack.Current?.Enter();
        new List<TimeSpan> { nap }.ForEach(n => Woven.SleepTimes(1, n, null));
    }

    /// <summary>new GreenSemaphore(0).Acquire(nap); — a runtime wait that has no resumable form.</summary>
    [Resumable]
    public static void WaitWithoutResumableForm(TimeSpan nap)
    {
        // Linked on purpose, as if Acquire were woven: a link must never make a wait that cannot suspend do so.
        var stack = FrameStack.Current;
        if (stack is not null && stack.Enter())
        {
            stack.Link();
        }

        new GreenSemaphore(0).Acquire(nap);
    }
}
