namespace Gevent.Weaver.Tests.Resumable;

/// <summary>Runs a greenlet of the current hub to its end from another of its greenlets, counting its stackless parks.</summary>
internal static class StacklessTurns
{
    /// <summary>
    /// Yields until <paramref name="greenlet"/> is dead; returns after how many of the yields it was parked stacklessly
    /// (the hub's run info says stackless and not pinned; the tests run it alone on their hub).
    /// </summary>
    public static int YieldUntilDead(Greenlet greenlet)
    {
        var stackless = 0;
        while (!greenlet.Dead)
        {
            Greenlet.Yield();
            stackless += !greenlet.Dead && Hub.Current.FormatRunInfo() is var info
                && info.Contains(", stackless", StringComparison.Ordinal) && !info.Contains(", pinned", StringComparison.Ordinal) ? 1 : 0;
        }

        return stackless;
    }
}
