using Gevent.CompilerServices;

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

    /// <summary>
    /// Spawns <paramref name="method"/> of a new woven <paramref name="original"/> stackless and yields until it is dead:
    /// the woven object, the greenlet and its stackless parks (<see cref="YieldUntilDead"/>).
    /// </summary>
    public static (object Woven, Greenlet Greenlet, int Turns) RunWoven(Type original, string method)
    {
        var woven = Activator.CreateInstance(WovenResumable.TypeOf(original))!;
        var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, method));
        return (woven, greenlet, YieldUntilDead(greenlet));
    }
}
