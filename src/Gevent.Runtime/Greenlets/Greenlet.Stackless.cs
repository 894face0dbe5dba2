using Gevent.CompilerServices;

namespace Gevent;

/// <summary>
/// A greenlet whose body is resumable runs stackless: on a carrier thread it does not own, suspending by
/// saving its frames to <see cref="Frames"/> and returning to the carrier (docs/execution-tiers.md).
/// </summary>
public partial class Greenlet
{
    // Each stackless greenlet has its own ExecutionContext (AsyncLocal values), as a thread-backed one has its
    // thread's: the carriers it runs on are shared, so the context is swapped in and out with the greenlet.
    private ExecutionContext? _context;

    /// <summary>The saved frames of a stackless greenlet; null for a thread-backed one.</summary>
    internal FrameStack? Frames { get; private set; }

    /// <summary>Why this stackless greenlet is blocking its carrier thread now, or null.</summary>
    internal PinReason? PinnedFor { get; set; }

    /// <summary>
    /// Makes this unstarted greenlet stackless. Its ExecutionContext starts as the creator's, as a task's
    /// does, and is its own from then on.
    /// </summary>
    internal void MakeStackless()
    {
        Frames = new FrameStack();
        _context = ExecutionContext.Capture();
    }

    /// <summary>
    /// Runs (first) or resumes (later) this stackless greenlet on the calling carrier thread, until it
    /// suspends (false) or ends (true). Never throws.
    /// </summary>
    internal bool RunStackless()
    {
        var frames = Frames!;
        var carrierContext = ExecutionContext.Capture();
        Restore(_context);
        Exception? outcome = null;
        try
        {
            if (frames.IsSuspending)
            {
                // Running while its frames are re-entered, as a thread-backed greenlet is once its switch
                // returns: replacements on the way to the blocking point (ThreadPatches.Sleep…) read the state
                // to decide whether they are in a greenlet at all.
                State = GreenletState.Running;
                frames.BeginResume();
            }
            else
            {
                frames.Start();
            }

            Run();
            if (frames.IsSuspending)
            {
                _context = ExecutionContext.Capture();
                return false;
            }
        }
        catch (Exception e)
        {
            outcome = e;
        }
        finally
        {
            Restore(carrierContext);
        }

        End(outcome);
        return true;
    }

    private static void Restore(ExecutionContext? context)
    {
        // Null when the flow was suppressed there: leave the thread's as it is.
        if (context is not null)
        {
            ExecutionContext.Restore(context);
        }
    }
}
