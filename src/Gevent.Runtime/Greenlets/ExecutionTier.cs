namespace Gevent.Greenlets;

/// <summary>
/// How a hub's greenlets are run: the mechanics under the <see cref="Hub"/>'s scheduling policy.
/// The hub decides <em>which</em> greenlet holds the baton next (ready queue, loop polling, wake-ups,
/// deadlock resolution); its tier decides <em>how</em> that greenlet gets a thread to run on, gives it up
/// at a blocking point and gets it back. Tier 1 (<see cref="Threads.ThreadTier"/>) gives every greenlet
/// an OS thread of its own and passes the baton with a futex; <see cref="Stackless.StacklessTier"/> runs
/// resumable greenlets on carrier threads beside them and pins the ones whose frames cannot be saved
/// (docs/execution-tiers.md). The hub calls only these members, so a tier can be added without
/// touching its policy.
/// </summary>
/// <remarks>
/// Every member is called by the greenlet holding the hub's baton (or, for <see cref="HandOff"/>, by the
/// carrier of the one that just gave it up for good), so a tier needs no locking of its own for a hub.
/// </remarks>
internal abstract class ExecutionTier
{
    // Per carrier thread, not per greenlet: on tier 1 a thread carries one greenlet at a time, start
    // to finish; the stackless tier sets it at each greenlet it runs on a carrier.
    // t_: thread-static, a prefix the naming rules cannot tell from a plain static's.
#pragma warning disable IDE1006
    [ThreadStatic]
    private static Greenlet? t_current;
#pragma warning restore IDE1006

    /// <summary>The greenlet whose code runs on the calling thread, or null on a thread that carries none.</summary>
    public static Greenlet? Current => t_current;

    /// <summary>
    /// Makes <paramref name="greenlet"/> (or, with null, none) the one running on the calling thread.
    /// Only tiers call this: as a carrier starts, resumes or lets go of a greenlet.
    /// </summary>
    public static void SetCurrent(Greenlet? greenlet) => t_current = greenlet;

    /// <summary>
    /// Makes the calling thread the carrier of <paramref name="main"/>, a new hub's main greenlet, which
    /// is already running on it (it is the thread that created the hub), and its <see cref="Current"/>.
    /// </summary>
    public abstract void Adopt(Greenlet main);

    /// <summary>
    /// Readies the first run of <paramref name="greenlet"/>, which the hub is about to hand the baton
    /// to. False if it cannot run: the tier has then ended it with the reason
    /// (<see cref="Greenlet.FailToStart"/>) and the hub looks for another.
    /// </summary>
    public abstract bool TryStart(Greenlet greenlet);

    /// <summary>
    /// At a blocking point of <paramref name="self"/> (the calling greenlet): suspends it, passes the baton
    /// to <paramref name="next"/> (a different greenlet, started or resumed) and returns once the hub has
    /// handed the baton back to <paramref name="self"/>.
    /// </summary>
    public abstract void Switch(Greenlet self, Greenlet next);

    /// <summary>
    /// Passes the baton to <paramref name="next"/> from a greenlet that has finished and so suspends
    /// nothing; called on the finished greenlet's carrier.
    /// </summary>
    public abstract void HandOff(Greenlet next);
}
