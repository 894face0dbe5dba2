using Gevent.CompilerServices;

namespace Gevent.Tests.Greenlets.Stackless;

/// <summary>Hand-woven methods (as in <see cref="Woven"/>) that read per-greenlet state across a suspension.</summary>
internal static class WovenContext
{
    /// <summary>
    /// local.Value = name; flow.Value = name; Greenlet.Yield();
    /// log.Add($"{name}: {Greenlet.Current.Name} {local.Value} {flow.Value}");
    /// </summary>
    [Resumable]
    public static void SetYieldRead(string name, GreenletLocal<string> local, AsyncLocal<string> flow, List<string> log)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        if (linked && stack!.IsResuming)
        {
            var frame = (Frame)stack.Pop();
            (name, local, flow, log) = (frame.Name, frame.Local, frame.Flow, frame.Log);
            goto Call1;
        }

        local.Value = name;
        flow.Value = name;
    Call1:
        if (linked)
        {
            stack!.Link();
        }

        Greenlet.Yield();
        if (stack is { IsSuspending: true })
        {
            stack.Push(new Frame { State = 1, Name = name, Local = local, Flow = flow, Log = log });
            return;
        }

        log.Add($"{name}: {Greenlet.Current.Name} {local.Value} {flow.Value}");
    }

    /// <summary>
    /// using var timeout = GreenTimeout.Start(limit);
    /// try { Greenlet.Sleep(nap); log.Add("slept"); } catch (GreenTimeoutException e) when (e.Timeout == timeout) { log.Add("timed out"); }
    /// </summary>
    [Resumable]
    public static void SleepWithin(TimeSpan limit, TimeSpan nap, List<string> log)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        GreenTimeout timeout;
        if (linked && stack!.IsResuming)
        {
            var frame = (TimeoutFrame)stack.Pop();
            (limit, nap, log, timeout) = (frame.Limit, frame.Nap, frame.Log, frame.Timeout);
        }
        else
        {
            timeout = GreenTimeout.Start(limit);
        }

        try
        {
            // The one call site is the first statement of both try blocks: a resume needs no dispatch in them.
            try
            {
                if (linked)
                {
                    stack!.Link();
                }

                Greenlet.Sleep(nap);
                if (stack is { IsSuspending: true })
                {
                    stack.Push(new TimeoutFrame { State = 1, Limit = limit, Nap = nap, Log = log, Timeout = timeout });
                    return;
                }

                log.Add("slept");
            }
            catch (GreenTimeoutException e) when (e.Timeout == timeout)
            {
                log.Add("timed out");
            }
        }
        finally
        {
            if (stack is not { IsSuspending: true })
            {
                timeout.Dispose();
            }
        }
    }

    private sealed class Frame : ResumableFrame
    {
        public required string Name { get; init; }

        public required GreenletLocal<string> Local { get; init; }

        public required AsyncLocal<string> Flow { get; init; }

        public required List<string> Log { get; init; }
    }

    private sealed class TimeoutFrame : ResumableFrame
    {
        public TimeSpan Limit { get; init; }

        public TimeSpan Nap { get; init; }

        public required List<string> Log { get; init; }

        public required GreenTimeout Timeout { get; init; }
    }
}
