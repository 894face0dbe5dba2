using Gevent.CompilerServices;

namespace Gevent.Tests.Greenlets.Stackless;

/// <summary>
/// Methods written by hand as the weaver will emit them (docs/execution-tiers.md, "The frame contract"):
/// read the stack once and consume the link (entered unlinked, link nothing, so a wait below pins), dispatch on the saved state when resuming (inside each try
/// block, since a jump cannot enter one), link before each call that may suspend, save and return after it
/// when suspending, and skip finally bodies while suspending. The comment above each gives the original.
/// </summary>
internal static class Woven
{
    /// <summary>for (i = 0; i &lt; times; i++) { log?.Add(i); Greenlet.Sleep(each); } return i;</summary>
    [Resumable]
    public static int SleepTimes(int times, TimeSpan each, List<int>? log)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        var i = 0;
        if (linked && stack!.IsResuming)
        {
            var frame = (LoopFrame)stack.Pop();
            (i, times, each, log) = (frame.I, frame.Times, frame.Each, frame.Log);
            goto Call1;
        }

    Loop:
        if (i >= times)
        {
            return i;
        }

        log?.Add(i);
    Call1:
        if (linked)
        {
            stack!.Link();
        }

        Greenlet.Sleep(each);
        if (stack is { IsSuspending: true })
        {
            stack.Push(new LoopFrame { State = 1, I = i, Times = times, Each = each, Log = log });
            return default;
        }

        i++;
        goto Loop;
    }

    /// <summary>for (i = 0; i &lt; times; i++) { log.Add($"{name} {i}"); Greenlet.Yield(); }</summary>
    [Resumable]
    public static void YieldTimes(string name, int times, List<string> log)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        var i = 0;
        if (linked && stack!.IsResuming)
        {
            var frame = (NamedLoopFrame)stack.Pop();
            (i, name, times, log) = (frame.I, frame.Name, frame.Times, frame.Log);
            goto Call1;
        }

    Loop:
        if (i >= times)
        {
            return;
        }

        log.Add($"{name} {i}");
    Call1:
        if (linked)
        {
            stack!.Link();
        }

        Greenlet.Yield();
        if (stack is { IsSuspending: true })
        {
            stack.Push(new NamedLoopFrame { State = 1, I = i, Name = name, Times = times, Log = log });
            return;
        }

        i++;
        goto Loop;
    }

    /// <summary>var woken = e.Wait(); log.Add(woken); return woken;</summary>
    [Resumable]
    public static bool WaitFor(GreenEvent e, List<bool> log)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        if (linked && stack!.IsResuming)
        {
            var frame = (WaitFrame)stack.Pop();
            (e, log) = (frame.Event, frame.Log);
        }

        if (linked)
        {
            stack!.Link();
        }

        var woken = e.Wait();
        if (stack is { IsSuspending: true })
        {
            stack.Push(new WaitFrame { State = 1, Event = e, Log = log });
            return default;
        }

        log.Add(woken);
        return woken;
    }

    /// <summary>for (i = 0; i &lt; rounds; i++) { var n = inbox.Get(); outbox.Put(n + 1); } return i;</summary>
    [Resumable]
    public static int Relay(GreenQueue<int> inbox, GreenQueue<int> outbox, int rounds)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        var i = 0;
        var n = 0;
        if (linked && stack!.IsResuming)
        {
            var frame = (RelayFrame)stack.Pop();
            (i, n, inbox, outbox, rounds) = (frame.I, frame.N, frame.Inbox, frame.Outbox, frame.Rounds);
            if (frame.State == 2)
            {
                goto Call2;
            }

            goto Call1;
        }

    Loop:
        if (i >= rounds)
        {
            return i;
        }

    Call1:
        if (linked)
        {
            stack!.Link();
        }

        n = inbox.Get();
        if (stack is { IsSuspending: true })
        {
            stack.Push(new RelayFrame { State = 1, I = i, N = n, Inbox = inbox, Outbox = outbox, Rounds = rounds });
            return default;
        }

    Call2:
        if (linked)
        {
            stack!.Link();
        }

        outbox.Put(n + 1);
        if (stack is { IsSuspending: true })
        {
            stack.Push(new RelayFrame { State = 2, I = i, N = n, Inbox = inbox, Outbox = outbox, Rounds = rounds });
            return default;
        }

        i++;
        goto Loop;
    }

    /// <summary>
    /// try { log.Add("try"); Greenlet.Sleep(nap); log.Add("after"); return Inner(depth); }
    /// catch (InvalidOperationException e) when (rethrow is false) { log.Add("caught " + e.Message); return -1; }
    /// finally { log.Add("finally"); }
    /// </summary>
    [Resumable]
    public static int Outer(TimeSpan nap, int depth, bool rethrow, List<string> log)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        var resumeAt = 0;
        if (linked && stack!.IsResuming)
        {
            var frame = (OuterFrame)stack.Pop();
            (nap, depth, rethrow, log, resumeAt) = (frame.Nap, frame.Depth, frame.Rethrow, frame.Log, frame.State);
        }

        try
        {
            if (resumeAt == 1)
            {
                goto Call1;
            }

            if (resumeAt == 2)
            {
                goto Call2;
            }

            log.Add("try");
        Call1:
            if (linked)
            {
                stack!.Link();
            }

            Greenlet.Sleep(nap);
            if (stack is { IsSuspending: true })
            {
                stack.Push(new OuterFrame { State = 1, Nap = nap, Depth = depth, Rethrow = rethrow, Log = log });
                return default;
            }

            log.Add("after");
        Call2:
            if (linked)
            {
                stack!.Link();
            }

            var result = Inner(nap, depth, log);
            if (stack is { IsSuspending: true })
            {
                stack.Push(new OuterFrame { State = 2, Nap = nap, Depth = depth, Rethrow = rethrow, Log = log });
                return default;
            }

            return result;
        }
        catch (InvalidOperationException e) when (!rethrow)
        {
            log.Add($"caught {e.Message}");
            return -1;
        }
        finally
        {
            if (stack is not { IsSuspending: true })
            {
                log.Add("finally");
            }
        }
    }

    /// <summary>Greenlet.Sleep(nap); if (depth &lt; 0) throw new InvalidOperationException("deep"); return depth * 2;</summary>
    [Resumable]
    public static int Inner(TimeSpan nap, int depth, List<string> log)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        if (linked && stack!.IsResuming)
        {
            var frame = (OuterFrame)stack.Pop();
            (nap, depth, log) = (frame.Nap, frame.Depth, frame.Log);
        }

        if (linked)
        {
            stack!.Link();
        }

        Greenlet.Sleep(nap);
        if (stack is { IsSuspending: true })
        {
            stack.Push(new OuterFrame { State = 1, Nap = nap, Depth = depth, Log = log });
            return default;
        }

        log.Add("inner resumed");
        return depth < 0 ? throw new InvalidOperationException("deep") : depth * 2;
    }

    /// <summary>try { Greenlet.Sleep(nap); } finally { log.Add("finally"); }</summary>
    [Resumable]
    public static void SleepWithFinally(TimeSpan nap, List<string> log)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        if (linked && stack!.IsResuming)
        {
            var frame = (OuterFrame)stack.Pop();
            (nap, log) = (frame.Nap, frame.Log);
        }

        try
        {
            if (linked)
            {
                stack!.Link();
            }

            Greenlet.Sleep(nap);
            if (stack is { IsSuspending: true })
            {
                stack.Push(new OuterFrame { State = 1, Nap = nap, Log = log });
            }
        }
        finally
        {
            if (stack is not { IsSuspending: true })
            {
                log.Add("finally");
            }
        }
    }

    private sealed class LoopFrame : ResumableFrame
    {
        public int I { get; init; }

        public int Times { get; init; }

        public TimeSpan Each { get; init; }

        public List<int>? Log { get; init; }
    }

    private sealed class NamedLoopFrame : ResumableFrame
    {
        public int I { get; init; }

        public required string Name { get; init; }

        public int Times { get; init; }

        public required List<string> Log { get; init; }
    }

    private sealed class WaitFrame : ResumableFrame
    {
        public required GreenEvent Event { get; init; }

        public required List<bool> Log { get; init; }
    }

    private sealed class RelayFrame : ResumableFrame
    {
        public int I { get; init; }

        public int N { get; init; }

        public required GreenQueue<int> Inbox { get; init; }

        public required GreenQueue<int> Outbox { get; init; }

        public int Rounds { get; init; }
    }

    private sealed class OuterFrame : ResumableFrame
    {
        public TimeSpan Nap { get; init; }

        public int Depth { get; init; }

        public bool Rethrow { get; init; }

        public required List<string> Log { get; init; }
    }
}
