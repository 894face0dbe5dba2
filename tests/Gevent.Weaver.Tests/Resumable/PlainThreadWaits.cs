using System.Diagnostics;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>What the wait tests need to run the original of a wait on a plain thread, as the control of a woven run.</summary>
internal static class PlainThreadWaits
{
    /// <summary>What <paramref name="call"/> returns, or the name of the exception it throws (unwrapped from reflection's).</summary>
    public static object? Try(Func<object?> call)
    {
        try
        {
            return call();
        }
        catch (Exception e)
        {
            return (e.InnerException ?? e).GetType().Name;
        }
    }

    /// <summary>Returns once <paramref name="thread"/> blocks (or after 20 s), so a signal sent next finds it waiting.</summary>
    public static void WaitUntilBlocked(Thread thread)
    {
        var stopwatch = Stopwatch.StartNew();
        while ((thread.ThreadState & System.Threading.ThreadState.WaitSleepJoin) == 0 && stopwatch.Elapsed < TimeSpan.FromSeconds(20))
        {
            Thread.Sleep(1);
        }
    }
}
