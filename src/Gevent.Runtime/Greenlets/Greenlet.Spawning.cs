using Gevent.CompilerServices;
using Gevent.Loop;

namespace Gevent;

public partial class Greenlet
{
    /// <summary>Creates and starts a greenlet running <paramref name="action"/> in the current hub.</summary>
    /// <exception cref="GreenletLimitExceededException">The process already has <see cref="GeventConfig.MaxGreenlets"/> live greenlets.</exception>
    public static Greenlet Spawn(Action action)
    {
        var greenlet = new Greenlet(action);
        greenlet.Start();
        return greenlet;
    }

    /// <summary>Creates and starts a greenlet computing <paramref name="func"/>; read the result with <see cref="Greenlet{T}.Get"/>.</summary>
    /// <exception cref="GreenletLimitExceededException">The process already has <see cref="GeventConfig.MaxGreenlets"/> live greenlets.</exception>
    public static Greenlet<T> Spawn<T>(Func<T> func)
    {
        var greenlet = new Greenlet<T>(func);
        greenlet.Start();
        return greenlet;
    }

    /// <summary>Creates a greenlet running <paramref name="action"/> and starts it after <paramref name="delay"/>.</summary>
    public static Greenlet SpawnLater(TimeSpan delay, Action action)
    {
        var greenlet = new Greenlet(action);
        greenlet.StartLater(delay);
        return greenlet;
    }

    /// <summary>Creates a greenlet computing <paramref name="func"/> and starts it after <paramref name="delay"/>.</summary>
    public static Greenlet<T> SpawnLater<T>(TimeSpan delay, Func<T> func)
    {
        var greenlet = new Greenlet<T>(func);
        greenlet.StartLater(delay);
        return greenlet;
    }

    /// <summary>
    /// Blocks the current greenlet for <paramref name="duration"/> while the others run;
    /// <see cref="TimeSpan.Zero"/> is <see cref="Yield"/>, <see cref="Timeout.InfiniteTimeSpan"/> sleeps until killed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    /// <remarks>Resumable (<see cref="FrameStack"/>): a stackless greenlet sleeps without a thread.</remarks>
    [Resumable]
    public static void Sleep(TimeSpan duration)
    {
        var current = Hub.CurrentGreenlet;
        var frames = current.Frames;
        var linked = frames is not null && frames.Enter();
        Durations.Validate(duration, nameof(duration), allowInfinite: true);
        var hub = current.Hub;

        // The zero and infinite sleeps keep no state across the wait, so they save no frame: a resume, which
        // calls Sleep again with the same duration, comes the same way to the blocking point.
        if (duration == TimeSpan.Zero || duration == Timeout.InfiniteTimeSpan)
        {
            if (linked)
            {
                frames!.Link();
            }

            if (duration == TimeSpan.Zero)
            {
                hub.YieldResumably();
            }
            else
            {
                hub.BlockResumably("Sleep(Infinite)");
            }

            return;
        }

        var timer = linked && frames!.IsResuming
            ? ((SleepFrame)frames.Pop()).Timer
            : hub.Loop.StartTimer(duration, WakeToken.WakeCallback, new WakeToken(current));
        try
        {
            if (linked)
            {
                frames!.Link();
            }

            hub.BlockResumably("Sleep()");
            if (frames is { IsSuspending: true })
            {
                frames.Push(new SleepFrame(timer));
            }
        }
        finally
        {
            if (frames is not { IsSuspending: true })
            {
                timer.Cancel();
            }
        }
    }

    /// <summary>
    /// Lets every other greenlet that is ready run once (and the loop poll), then continues; gevent's
    /// <c>sleep(0)</c>. Greenlets that yield in turn run in FIFO order.
    /// </summary>
    /// <remarks>Resumable (<see cref="FrameStack"/>), with no frame of its own: it passes its caller's link on.</remarks>
    [Resumable]
    public static void Yield() => Hub.CurrentGreenlet.Hub.YieldResumably();

    /// <summary>What a suspended <see cref="Sleep"/> keeps: its timer, cancelled once it resumes.</summary>
    private sealed class SleepFrame(LoopTimer timer) : ResumableFrame
    {
        public LoopTimer Timer { get; } = timer;
    }
}
