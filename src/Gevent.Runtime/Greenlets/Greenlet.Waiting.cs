using System.Runtime.ExceptionServices;
using Gevent.Loop;

namespace Gevent;

public partial class Greenlet
{
    /// <summary>
    /// Waits until every greenlet in <paramref name="greenlets"/> is dead, or <paramref name="timeout"/>
    /// passes. Returns those that ended, in the order they ended. With <paramref name="throwOnError"/>,
    /// re-throws the first failure as soon as it happens.
    /// </summary>
    public static IReadOnlyList<Greenlet> JoinAll(IEnumerable<Greenlet> greenlets, TimeSpan? timeout = null, bool throwOnError = false)
    {
        var done = new List<Greenlet>();
        foreach (var greenlet in IWait(greenlets, timeout))
        {
            done.Add(greenlet);
            if (throwOnError && greenlet.Exception is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }

        return done;
    }

    /// <summary>
    /// Kills every greenlet in <paramref name="greenlets"/> (see <see cref="Kill"/>); with
    /// <paramref name="block"/>, then waits up to <paramref name="timeout"/> for all of them to die.
    /// </summary>
    public static void KillAll(IEnumerable<Greenlet> greenlets, Exception? exception = null, bool block = true, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(greenlets);
        Durations.IsBounded(timeout, nameof(timeout));
        var list = greenlets.ToList();
        var current = Hub.CurrentGreenlet;
        foreach (var greenlet in list)
        {
            if (greenlet != current)
            {
                greenlet.Kill(exception, block: false);
            }
        }

        if (block)
        {
            JoinAll(list.Where(g => g != current), timeout);
        }
    }

    /// <summary>
    /// Waits until the current hub has nothing left to run: no other greenlet, pending timer or
    /// watcher (gevent's <c>wait()</c>). Returns false if <paramref name="timeout"/> passed first.
    /// </summary>
    public static bool Wait(TimeSpan? timeout = null) => Hub.Current.WaitForLoopExit(timeout);

    /// <summary>
    /// Waits until <paramref name="count"/> (default: all) of <paramref name="greenlets"/> are dead or
    /// <paramref name="timeout"/> passes; returns the dead ones in the order they ended.
    /// </summary>
    public static IReadOnlyList<Greenlet> Wait(IEnumerable<Greenlet> greenlets, TimeSpan? timeout = null, int? count = null)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The count must be zero or positive.");
        }

        var waited = IWait(greenlets, timeout);
        return (count is { } limit ? waited.Take(limit) : waited).ToList();
    }

    /// <summary>
    /// Yields each greenlet of <paramref name="greenlets"/> as it dies, in the order they die, blocking
    /// between them; stops early once <paramref name="timeout"/> (counted from the first iteration) passes.
    /// </summary>
    public static IEnumerable<Greenlet> IWait(IEnumerable<Greenlet> greenlets, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(greenlets);
        var bounded = Durations.IsBounded(timeout, nameof(timeout));
        var list = greenlets.ToList();
        var hub = Hub.Current;
        foreach (var greenlet in list)
        {
            ArgumentNullException.ThrowIfNull(greenlet, nameof(greenlets));
            hub.VerifyAccess(greenlet);
        }

        return IterateCompletions(hub, list, bounded ? timeout : null);
    }

    private static IEnumerable<Greenlet> IterateCompletions(Hub hub, List<Greenlet> greenlets, TimeSpan? timeout)
    {
        var completions = new CompletionQueue();
        var links = new List<(Greenlet Greenlet, GreenletLink Link)>();
        LoopTimer? timer = null;
        try
        {
            foreach (var greenlet in greenlets)
            {
                if (greenlet.Dead)
                {
                    completions.Done.Enqueue(greenlet);
                }
                else
                {
                    links.Add((greenlet, greenlet.AddRawLink(CompletionQueue.OnDeath, completions)));
                }
            }

            if (timeout is { } limit)
            {
                timer = hub.Loop.StartTimer(limit, CompletionQueue.OnTimeout, completions);
            }

            for (var remaining = greenlets.Count; remaining > 0;)
            {
                if (completions.Done.TryDequeue(out var done))
                {
                    remaining--;
                    yield return done;
                    continue;
                }

                if (completions.TimedOut)
                {
                    // A greenlet can die in the loop turn the timer fires in, before its links run: it has ended, so it
                    // is yielded too. Its link is removed first, so that it cannot come again through the queue.
                    var endedUnreported = links.Where(l => l.Greenlet.Dead && l.Greenlet.RemoveLink(l.Link)).Select(l => l.Greenlet).ToList();
                    foreach (var ended in endedUnreported)
                    {
                        yield return ended;
                    }

                    yield break;
                }

                completions.Waiter = new WakeToken(Hub.CurrentGreenlet);
                try
                {
                    hub.Block("IWait()");
                }
                finally
                {
                    completions.Waiter = null;
                }
            }
        }
        finally
        {
            timer?.Cancel();
            foreach (var (greenlet, link) in links)
            {
                greenlet.RemoveLink(link);
            }
        }
    }

    /// <summary>Greenlets that died while an <see cref="IWait"/> iteration was open, and who to wake.</summary>
    private sealed class CompletionQueue
    {
        public static readonly Action<Greenlet, object?> OnDeath = static (greenlet, state) =>
        {
            var queue = (CompletionQueue)state!;
            queue.Done.Enqueue(greenlet);
            queue.WakeWaiter();
        };

        public static readonly Action<object?> OnTimeout = static state =>
        {
            var queue = (CompletionQueue)state!;
            queue.TimedOut = true;
            queue.WakeWaiter();
        };

        public Queue<Greenlet> Done { get; } = new();

        public WakeToken? Waiter { get; set; }

        public bool TimedOut { get; private set; }

        private void WakeWaiter()
        {
            if (Waiter is { } waiter)
            {
                waiter.Greenlet.Hub.Wake(waiter);
            }
        }
    }
}
