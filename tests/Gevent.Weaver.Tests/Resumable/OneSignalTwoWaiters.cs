using Gevent.Tests;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// One signal to two waiters (an auto-reset event's set, one semaphore slot): on plain threads, the control, and as
/// woven stackless greenlets, exactly one of the two ends with true, the signal is used up and no greenlet pins.
/// </summary>
internal static class OneSignalTwoWaiters
{
    /// <param name="open">A fresh primitive, unsignalled.</param>
    /// <param name="waitOnThread">The original's wait (with a timeout), run on a plain thread.</param>
    /// <param name="spawn">Spawns a woven greenlet that runs the same wait.</param>
    /// <param name="signal">Signals the primitive once.</param>
    /// <param name="signalLeft">Whether a signal is still left in the primitive.</param>
    public static void AssertExactlyOneWakes<TPrimitive>(
        Func<TPrimitive> open,
        Func<TPrimitive, bool> waitOnThread,
        Func<TPrimitive, Greenlet<bool>> spawn,
        Action<TPrimitive> signal,
        Func<TPrimitive, bool> signalLeft)
        where TPrimitive : IDisposable
    {
        var originals = OnThreads(open, waitOnThread, signal);
        var results = new List<bool>();
        var left = true;
        var info = "";
        HubTest.Run(() =>
        {
            using var primitive = open();
            var waiters = Enumerable.Range(0, 2).Select(_ => spawn(primitive)).ToList();
            Greenlet.Yield();
            signal(primitive);
            foreach (var waiter in waiters)
            {
                waiter.Join(TimeSpan.FromSeconds(20));
                results.Add(waiter.Successful && waiter.Value);
            }

            left = signalLeft(primitive);
            info = Hub.Current.FormatRunInfo();
        });

        Assert.Equal([false, true], originals.Order());
        Assert.Equal([false, true], results.Order());
        Assert.False(left, "the signal was left");
        Assert.DoesNotContain("pins:", info, StringComparison.Ordinal);
    }

    private static List<bool> OnThreads<TPrimitive>(Func<TPrimitive> open, Func<TPrimitive, bool> wait, Action<TPrimitive> signal)
        where TPrimitive : IDisposable
    {
        using var primitive = open();
        var results = new bool[2];
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() => results[i] = wait(primitive))).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(PlainThreadWaits.WaitUntilBlocked);
        signal(primitive);
        threads.ForEach(t => t.Join());
        return [.. results];
    }
}
