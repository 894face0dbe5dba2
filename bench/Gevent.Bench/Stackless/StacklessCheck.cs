namespace Gevent.Bench.Stackless;

/// <summary>
/// Guards for the woven families' figures: every greenlet a woven workload starts must run stackless without a pin,
/// or the figures would be tier 1's. Each guard throws with the reason otherwise.
/// </summary>
internal static class StacklessCheck
{
    /// <summary>Kills <paramref name="greenlets"/> and throws if any of them was started thread-backed.</summary>
    public static void ThrowIfThreadBacked(string workload, IReadOnlyList<Greenlet> greenlets)
    {
        if (greenlets.FirstOrDefault(g => g.Frames is null) is { } threadBacked)
        {
            Greenlet.KillAll(greenlets);
            throw new InvalidOperationException($"{workload}: greenlet {threadBacked.Name} was started thread-backed; is Gevent.Bench.Woven woven with ResumableFrames=\"true\"?");
        }
    }

    /// <summary>Throws if the current hub's pin counts moved since <paramref name="pinsBefore"/> (<c>Hub.Pins.Describe()</c>).</summary>
    public static void ThrowIfPinned(string workload, string? pinsBefore)
    {
        if (Hub.Current.Pins.Describe() is { } pins && pins != pinsBefore)
        {
            throw new InvalidOperationException($"{workload}: greenlets pinned ({pins}): the woven bodies did not run stackless throughout.");
        }
    }
}
