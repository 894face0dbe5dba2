using Gevent.CompilerServices;

namespace Gevent.Tests.Greenlets.Stackless;

/// <summary>A hand-woven method (as in <see cref="Woven"/>) that joins greenlets.</summary>
internal static class WovenJoin
{
    /// <summary>for (i = 0; i &lt; all.Length; i++) { all[i].Join(); log.Add(all[i].Name); }</summary>
    [Resumable]
    public static void JoinEach(Greenlet[] all, List<string> log)
    {
        var stack = FrameStack.Current;
        var linked = stack is not null && stack.Enter();
        var i = 0;
        if (linked && stack!.IsResuming)
        {
            var frame = (Frame)stack.Pop();
            (all, log, i) = (frame.All, frame.Log, frame.I);
            goto Call1;
        }

    Loop:
        if (i >= all.Length)
        {
            return;
        }

    Call1:
        if (linked)
        {
            stack!.Link();
        }

        all[i].Join();
        if (stack is { IsSuspending: true })
        {
            stack.Push(new Frame { State = 1, All = all, Log = log, I = i });
            return;
        }

        log.Add(all[i].Name);
        i++;
        goto Loop;
    }

    private sealed class Frame : ResumableFrame
    {
        public required Greenlet[] All { get; init; }

        public required List<string> Log { get; init; }

        public int I { get; init; }
    }
}
