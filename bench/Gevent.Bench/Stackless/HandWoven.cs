using Gevent.CompilerServices;

namespace Gevent.Bench.Stackless;

/// <summary>
/// The micro workloads' greenlet bodies written by hand as the weaver will emit them (the frame contract in
/// docs/execution-tiers.md), so they run stackless before the weaver exists. The comment above each method
/// is the original code.
/// </summary>
internal static class HandWoven
{
    /// <summary>A body that returns at once.</summary>
    public static readonly Action Noop = [Resumable] static () => { };

    /// <summary>Greenlet.Sleep(30 s) — as gevent_micro.py parks its greenlets; transparent (nothing kept, nothing after).</summary>
    public static readonly Action SleepLong = [Resumable] static () => Greenlet.Sleep(TimeSpan.FromSeconds(30));

    /// <summary>var all = new List&lt;Greenlet&gt;(n); for (…) all.Add(Spawn(Noop)); for (j …) all[j].Join();</summary>
    [Resumable]
    public static void SpawnJoin(int n)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        List<Greenlet> all;
        var j = 0;
        if (linked && stack!.IsResuming)
        {
            var frame = (SpawnJoinFrame)stack.Pop();
            (n, all, j) = (frame.N, frame.All, frame.J);
            goto Call1;
        }

        all = new List<Greenlet>(n);
        for (var i = 0; i < n; i++)
        {
            all.Add(ResumableGreenlet.Spawn(Noop));
        }

    Loop:
        if (j >= n)
        {
            return;
        }

    Call1:
        if (linked)
        {
            stack!.Link();
        }

        all[j].Join();
        if (stack is { IsSuspending: true })
        {
            stack.Push(new SpawnJoinFrame { State = 1, N = n, All = all, J = j });
            return;
        }

        j++;
        goto Loop;
    }

    /// <summary>for (i = 0; i &lt; n; i++) Greenlet.Yield();</summary>
    [Resumable]
    public static void YieldTimes(int n)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        var i = 0;
        if (linked && stack!.IsResuming)
        {
            var frame = (CountFrame)stack.Pop();
            (n, i) = (frame.N, frame.I);
            goto Call1;
        }

    Loop:
        if (i >= n)
        {
            return;
        }

    Call1:
        if (linked)
        {
            stack!.Link();
        }

        Greenlet.Yield();
        if (stack is { IsSuspending: true })
        {
            stack.Push(new CountFrame { State = 1, N = n, I = i });
            return;
        }

        i++;
        goto Loop;
    }

    /// <summary>
    /// for (i = 0; i &lt; n; i++) { first.Put(i); second.Get(); } — or, with <paramref name="getFirst"/>,
    /// { first.Get(); second.Put(i); }: the two sides of queue ping-pong.
    /// </summary>
    [Resumable]
    public static void PingPong(GreenQueue<int> first, GreenQueue<int> second, bool getFirst, int n)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        var i = 0;
        if (linked && stack!.IsResuming)
        {
            var frame = (PingPongFrame)stack.Pop();
            (first, second, getFirst, n, i) = (frame.First, frame.Second, frame.GetFirst, frame.N, frame.I);
            if (frame.State == 2)
            {
                goto Call2;
            }

            goto Call1;
        }

    Loop:
        if (i >= n)
        {
            return;
        }

    Call1:
        if (linked)
        {
            stack!.Link();
        }

        if (getFirst)
        {
            first.Get();
        }
        else
        {
            first.Put(i);
        }

        if (stack is { IsSuspending: true })
        {
            stack.Push(new PingPongFrame { State = 1, First = first, Second = second, GetFirst = getFirst, N = n, I = i });
            return;
        }

    Call2:
        if (linked)
        {
            stack!.Link();
        }

        if (getFirst)
        {
            second.Put(i);
        }
        else
        {
            second.Get();
        }

        if (stack is { IsSuspending: true })
        {
            stack.Push(new PingPongFrame { State = 2, First = first, Second = second, GetFirst = getFirst, N = n, I = i });
            return;
        }

        i++;
        goto Loop;
    }

    /// <summary>for (…) { var e = new GreenEvent(); var w = Spawn(e.Wait); Greenlet.Yield(); e.Set(); w.Join(); }</summary>
    [Resumable]
    public static void EventWakeups(int n)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        var i = 0;
        GreenEvent e;
        Greenlet waiter;
        if (linked && stack!.IsResuming)
        {
            var frame = (EventFrame)stack.Pop();
            (n, i, e, waiter) = (frame.N, frame.I, frame.Event, frame.Waiter);
            if (frame.State == 2)
            {
                goto Call2;
            }

            goto Call1;
        }

    Loop:
        if (i >= n)
        {
            return;
        }

        e = new GreenEvent();
        waiter = ResumableGreenlet.Spawn(new EventWaiter(e).Wait);
    Call1:
        if (linked)
        {
            stack!.Link();
        }

        Greenlet.Yield();
        if (stack is { IsSuspending: true })
        {
            stack.Push(new EventFrame { State = 1, N = n, I = i, Event = e, Waiter = waiter });
            return;
        }

        e.Set();
    Call2:
        if (linked)
        {
            stack!.Link();
        }

        waiter.Join();
        if (stack is { IsSuspending: true })
        {
            stack.Push(new EventFrame { State = 2, N = n, I = i, Event = e, Waiter = waiter });
            return;
        }

        i++;
        goto Loop;
    }

    private sealed class EventWaiter(GreenEvent e)
    {
        /// <summary>e.Wait(); — transparent.</summary>
        [Resumable]
        public void Wait() => e.Wait();
    }

    private sealed class SpawnJoinFrame : ResumableFrame
    {
        public int N { get; init; }

        public required List<Greenlet> All { get; init; }

        public int J { get; init; }
    }

    private sealed class CountFrame : ResumableFrame
    {
        public int N { get; init; }

        public int I { get; init; }
    }

    private sealed class PingPongFrame : ResumableFrame
    {
        public required GreenQueue<int> First { get; init; }

        public required GreenQueue<int> Second { get; init; }

        public bool GetFirst { get; init; }

        public int N { get; init; }

        public int I { get; init; }
    }

    private sealed class EventFrame : ResumableFrame
    {
        public int N { get; init; }

        public int I { get; init; }

        public required GreenEvent Event { get; init; }

        public required Greenlet Waiter { get; init; }
    }
}
