using Gevent.Greenlets;
using Gevent.Greenlets.Stackless;
using Gevent.Greenlets.Threads;
using Gevent.Loop;
using Microsoft.Extensions.Logging;

namespace Gevent;

/// <summary>
/// A scheduler and its event loop. Each thread that first uses Gevent gets its own hub and becomes
/// its main greenlet; greenlets it spawns belong to the same hub. Exactly one greenlet of a hub runs
/// at any instant (it holds the baton); it gives the baton up only at a blocking point, handing it
/// straight to the next runnable greenlet, or — when none is runnable — polling the loop itself.
/// </summary>
/// <remarks>
/// The hub is scheduling policy only; how a greenlet is started, suspended and resumed is its
/// <see cref="ExecutionTier"/>'s business (docs/execution-tiers.md).
/// </remarks>
public sealed partial class Hub
{
    private static readonly ILogger s_log = GeventLogging.CreateLogger("Gevent.Hub");
    private static int s_nextId;

    private readonly ExecutionTier _tier;
    private readonly List<LoopExitWaiter> _loopExitWaiters = [];
    private Action<Greenlet?, Exception> _errorHandler = LogError;
    private GreenThreadPool? _threadPool;
    private int _batchRemaining;
    private int _callbackDepth;
    private Greenlet? _running;

    private Hub(GeventConfig config, ExecutionTier tier, int? cpu)
    {
        _tier = tier;
        Id = Interlocked.Increment(ref s_nextId);
        Cpu = config.HubCpuAffinity ? cpu ?? CpuAffinity.NextHubCpu() : -1;
        PollBackend backend = config.Loop == LoopBackendKind.Epoll ? new EpollBackend() : new SelectBackend();
        Loop = new EventLoop(this, backend);
        MainGreenlet = Greenlet.CreateMain(this);
        _running = MainGreenlet;
        Live.Add(MainGreenlet);
        HubRegistry.Add(this);
    }

    /// <summary>The hub of the calling thread's greenlet; on a thread new to Gevent, a new hub whose main greenlet is this thread.</summary>
    public static Hub Current => CurrentGreenlet.Hub;

    /// <summary>A number naming this hub in messages.</summary>
    public int Id { get; }

    /// <summary>This hub's event loop.</summary>
    public EventLoop Loop { get; }

    /// <summary>The greenlet of the thread that created this hub.</summary>
    public Greenlet MainGreenlet { get; }

    /// <summary>The process's blocking monitor (gevent's monitor thread).</summary>
    public static HubMonitor Monitor => HubMonitor.Instance;

    /// <summary>
    /// This hub's pool of OS threads for blocking or CPU-bound work, created on first use with at most
    /// <see cref="GeventConfig.ThreadPoolSize"/> threads. Only the hub's greenlets may use it.
    /// </summary>
    public GreenThreadPool ThreadPool
    {
        get
        {
            VerifyAccess(this);
            return _threadPool ??= new GreenThreadPool(this, GeventConfig.Current.ThreadPoolSize);
        }
    }

    /// <summary>
    /// Called with every exception that escapes a greenlet (other than <see cref="GreenletExit"/>) or a
    /// loop callback; the greenlet is null for callbacks. Logs an error through <see cref="GeventLogging"/>
    /// (standard error unless configured) by default. The
    /// exception is still re-thrown to whoever calls <see cref="Greenlet.Get"/>.
    /// </summary>
    public Action<Greenlet?, Exception> ErrorHandler
    {
        get => _errorHandler;
        set => _errorHandler = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The thread pool if this hub ever used one (for metrics, without creating it).</summary>
    internal GreenThreadPool? ThreadPoolIfCreated => Volatile.Read(ref _threadPool);

    /// <summary>The CPU this hub's threads are pinned to, or -1.</summary>
    internal int Cpu { get; }

    /// <summary>Greenlets of this hub that are started and not dead, the main one included.</summary>
    internal HashSet<Greenlet> Live { get; } = [];

    /// <summary>This hub's switch and loop-iteration counts (its own cache lines; the process totals are <see cref="HubRegistry.Total"/>).</summary>
    internal HubCounters Counters { get; } = new();

    /// <summary>How many times the baton has moved (or been kept) at a blocking point; read by the monitor thread.</summary>
    internal long Switches => Counters.Switches;

    /// <summary>How often this hub's stackless greenlets pinned, by reason.</summary>
    internal PinCounts Pins { get; } = new();

    /// <summary>The greenlet that last received the baton; read by the monitor thread.</summary>
    internal Greenlet? Running => Volatile.Read(ref _running);

    internal static Greenlet CurrentGreenlet => ExecutionTier.Current ?? CreateForCurrentThread().MainGreenlet;

    /// <summary>The calling thread's greenlet, without making the thread a hub's main greenlet.</summary>
    internal static Greenlet? CurrentGreenletOrNull => ExecutionTier.Current;

    /// <summary>
    /// The current greenlet if it may park right now; null on a plain thread or inside a loop callback.
    /// Patches test this: where it is null they call the original, blocking as the BCL does.
    /// </summary>
    internal static Greenlet? CooperativeGreenlet =>
        ExecutionTier.Current is { } current && current.Hub._callbackDepth == 0 && current.State == GreenletState.Running ? current : null;

    /// <inheritdoc />
    public override string ToString() => Cpu >= 0 ? $"Hub {Id} ({Loop.Backend}, CPU {Cpu})" : $"Hub {Id} ({Loop.Backend})";

    /// <summary>
    /// Describes every live greenlet of this hub as a tree by who spawned whom, with its state and what
    /// it waits on (gevent's <c>format_run_info</c>). Call from one of the hub's greenlets.
    /// </summary>
    public string FormatRunInfo()
    {
        VerifyAccess(this);
        return RunInfoFormatter.Format(this);
    }

    /// <summary>
    /// Throws unless the caller is a greenlet of this hub: a hub's objects belong to its greenlets,
    /// which take turns with the baton; another thread touching them would race with them. Throws
    /// <see cref="ObjectDisposedException"/> once the hub is disposed.
    /// </summary>
    internal void VerifyAccess(object target)
    {
        ThrowIfDisposed();
        var current = ExecutionTier.Current;
        if (current?.Hub == this)
        {
            return;
        }

        var caller = current is null ? "a thread that is not a greenlet" : $"a greenlet of hub {current.Hub.Id}";
        throw new InvalidOperationException(
            $"{Describe(target)} belongs to hub {Id}; only that hub's greenlets may use it, and this is {caller}. " +
            "From another thread, use Hub.Loop.RunCallbackThreadSafe.");
    }

    /// <summary>
    /// Parks the current greenlet until a <see cref="WakeToken"/> taken for this wait is woken or an
    /// exception is thrown into it (<see cref="ThrowInto"/>), running other greenlets meanwhile. The
    /// caller registers what will wake it first and removes it afterwards, in a finally block.
    /// </summary>
    /// <remarks>A stackless greenlet pins here (<see cref="CompilerServices.PinReason.RuntimeWait"/>): the caller's frame cannot be saved.</remarks>
    internal void Block(string waitingOn) => Block(waitingOn, requeue: false, resumable: false);

    /// <summary>
    /// <see cref="Block(string)"/> for a caller that follows the <see cref="CompilerServices.FrameStack"/>
    /// contract: a stackless greenlet whose caller linked to it suspends here, returning with the stack
    /// suspending, and is re-entered here to resume.
    /// </summary>
    internal void BlockResumably(string waitingOn) => Block(waitingOn, requeue: false, resumable: true);

    /// <summary>Gives every other ready greenlet (and the loop) one turn, then continues: gevent's <c>sleep(0)</c>.</summary>
    internal void Yield() => Block("Yield()", requeue: true, resumable: false);

    /// <summary><see cref="Yield"/> following the <see cref="CompilerServices.FrameStack"/> contract, as <see cref="BlockResumably"/>.</summary>
    internal void YieldResumably() => Block("Yield()", requeue: true, resumable: true);

    /// <summary>Resumes the greenlet of <paramref name="token"/> if it is still in that wait.</summary>
    internal bool Wake(WakeToken token)
    {
        var greenlet = token.Greenlet;
        if (greenlet.State != GreenletState.Parked || greenlet.WaitSerial != token.Serial)
        {
            return false;
        }

        greenlet.State = GreenletState.Ready;
        Loop.Enqueue(greenlet);
        return true;
    }

    /// <summary>
    /// Delivers <paramref name="exception"/> to <paramref name="greenlet"/> at its blocking point: at once
    /// if it is parked, else at its next one. A kill replaces a pending timeout, not the reverse.
    /// </summary>
    internal void ThrowInto(Greenlet greenlet, Exception exception, bool isKill)
    {
        if (greenlet.State == GreenletState.Dead)
        {
            return;
        }

        if (greenlet.PendingException is not null && !isKill)
        {
            return;
        }

        greenlet.PendingException = exception;
        if (greenlet.State == GreenletState.Parked)
        {
            greenlet.State = GreenletState.Ready;
            greenlet.ResumeWithException = true;
            Loop.Enqueue(greenlet);
        }
    }

    /// <summary>Withdraws <paramref name="exception"/> if it is pending and not already on its way.</summary>
    internal void CancelPending(Greenlet greenlet, Exception exception)
    {
        if (greenlet.PendingException == exception && !greenlet.ResumeWithException)
        {
            greenlet.PendingException = null;
        }
    }

    /// <summary>Queues <paramref name="greenlet"/>'s first run.</summary>
    internal void ScheduleStart(Greenlet greenlet)
    {
        greenlet.State = GreenletState.Scheduled;
        Loop.Enqueue(greenlet);
    }

    /// <summary>Parks the current greenlet until the loop has nothing left to do (gevent's <c>wait()</c>).</summary>
    internal bool WaitForLoopExit(TimeSpan? timeout)
    {
        var bounded = Durations.IsBounded(timeout, nameof(timeout));
        var waiter = new LoopExitWaiter(new WakeToken(CurrentGreenlet));
        _loopExitWaiters.Add(waiter);

        // This timer must not itself keep the loop alive, or the wait could never see it empty.
        var timer = bounded ? Loop.StartTimer(timeout!.Value, WakeToken.WakeCallback, waiter.Token, keepsLoopAlive: false) : null;
        try
        {
            Block("Wait() for the loop to finish");
        }
        finally
        {
            timer?.Cancel();
            _loopExitWaiters.Remove(waiter);
        }

        return waiter.LoopExited;
    }

    /// <summary>Runs a loop callback; an exception it throws goes to the error handler, and it may not block.</summary>
    internal void InvokeCallback(Action<object?> callback, object? state)
    {
        _callbackDepth++;
        try
        {
            callback(state);
        }
        catch (Exception e)
        {
            ReportError(null, e);
        }
        finally
        {
            _callbackDepth--;
        }
    }

    /// <summary>
    /// Reports <paramref name="exception"/> from a thread the runtime owns but the hub does not run on (a monitor,
    /// a task continuation): it reaches the error handler in the loop, where handlers run; a hub already disposed drops it.
    /// </summary>
    internal void ReportErrorFromAnyThread(Exception exception) => Loop.PostThreadSafe(
        static state =>
        {
            var (hub, failure) = ((Hub, Exception))state!;
            hub.ReportError(null, failure);
        },
        (this, exception));

    internal void ReportError(Greenlet? greenlet, Exception exception)
    {
        _callbackDepth++;
        try
        {
            _errorHandler(greenlet, exception);
        }
        catch (Exception handlerFailure)
        {
            try
            {
                Console.Error.WriteLine($"Gevent: Hub.ErrorHandler threw while reporting an error: {new AggregateException(exception, handlerFailure)}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                // Reporting runs on a finishing greenlet's thread: throwing here would end the process.
            }
        }
        finally
        {
            _callbackDepth--;
        }
    }

    /// <summary>Called on the carrier of a greenlet that just finished: passes the baton on without suspending anything.</summary>
    internal void HandOffFromFinished()
    {
        var next = FindNext(null);
        if (next is not null)
        {
            _tier.HandOff(next);
        }
    }

    /// <summary>Makes the calling thread, new to Gevent, the main greenlet of a new hub, on <paramref name="cpu"/> (see the overload).</summary>
    internal static Hub CreateForCurrentThread(int? cpu = null) => CreateForCurrentThread(StacklessTier.Instance, cpu);

    /// <summary>
    /// Makes the calling thread, new to Gevent, the main greenlet of a new hub whose greenlets
    /// <paramref name="tier"/> runs (the stackless tier, which runs tier 1 greenlets beside its own, everywhere but in
    /// tests of the seam itself), on <paramref name="cpu"/> when hubs are pinned.
    /// </summary>
    /// <param name="tier">Runs the hub's greenlets.</param>
    /// <param name="cpu">The CPU <see cref="CpuAffinity.ReserveHubCpus"/> reserved for the hub; null: the next in turn.</param>
    internal static Hub CreateForCurrentThread(ExecutionTier tier, int? cpu = null)
    {
        var config = GeventConfig.Current;
        config.Freeze();
        GeventMetrics.EnsureCreated();
        if (config.MonitorThreadEnabled && !HubMonitor.Instance.IsRunning)
        {
            HubMonitor.Instance.Start(config.MaxBlockingTime);
        }

        var hub = new Hub(config, tier, cpu);
        tier.Adopt(hub.MainGreenlet);
        return hub;
    }

    private static string Describe(object target) => target switch
    {
        Greenlet g => $"Greenlet '{g.Name}'",
        EventLoop => "This event loop",
        _ => $"This {target.GetType().Name}",
    };

    private static void LogError(Greenlet? greenlet, Exception exception)
    {
        if (greenlet is null)
        {
            s_log.LogError(exception, "A loop callback failed.");
        }
        else
        {
            s_log.LogError(exception, "Greenlet '{Greenlet}' failed.", greenlet.Name);
        }
    }

    private void Block(string waitingOn, bool requeue, bool resumable)
    {
        var self = ExecutionTier.Current!;
        var frames = self.Frames;
        if (frames is not null)
        {
            // Re-entered by the frames above as the greenlet resumes: continue where the switch left off.
            if (frames.IsResuming)
            {
                frames.EndResume();
                goto Resumed;
            }

            frames.ArriveAtLeaf(resumable);
        }

        if (_callbackDepth > 0)
        {
            throw new InvalidOperationException(
                $"Cannot wait on {waitingOn} inside a loop callback (a timer, watcher or link callback runs in the hub and must not block); spawn a greenlet to do blocking work.");
        }

        if ((self.PendingException ?? self.StandingInterruption) is { } interruption)
        {
            self.PendingException = null;
            self.WaitSerial++;
            throw self.OnInterrupted(interruption);
        }

        self.WaitingOn = waitingOn;
        self.LastWaitedOn = waitingOn;
        if (requeue)
        {
            self.State = GreenletState.Ready;
            Loop.Enqueue(self);
        }
        else
        {
            self.State = GreenletState.Parked;
        }

        var next = FindNext(self)!;
        if (next != self)
        {
            _tier.Switch(self, next);
            if (frames is { IsSuspending: true })
            {
                return;
            }
        }

    Resumed:
        self.WaitSerial++;
        self.State = GreenletState.Running;
        self.WaitingOn = null;
        if (HubMonitor.Instance.CapturesStacks)
        {
            self.ResumedAt = new System.Diagnostics.StackTrace(2, fNeedFileInfo: false);
        }

        if (self.ResumeWithException)
        {
            self.ResumeWithException = false;
            var exception = self.PendingException!;
            self.PendingException = null;
            throw self.OnInterrupted(exception);
        }
    }

    /// <summary>
    /// Runs callbacks and polls the loop on the calling thread until a greenlet can run, and returns
    /// it (possibly <paramref name="self"/>). Null only when nothing will ever run again and no
    /// greenlet is left to tell (the calling greenlet has finished and the main one is not waiting).
    /// </summary>
    private Greenlet? FindNext(Greenlet? self)
    {
        while (true)
        {
            if (_batchRemaining == 0)
            {
                if (!Loop.IsAlive && !ResolveDeadlock(self))
                {
                    return null;
                }

                // Each batch is what was ready when it began, so a greenlet that keeps yielding
                // cannot starve timers and sockets: they are polled between batches when due.
                if (Loop.PollDue)
                {
                    Loop.RunOnce(mayBlock: true);
                }

                _batchRemaining = Loop.Ready.Count;
                continue;
            }

            var entry = Loop.Ready.Dequeue();
            _batchRemaining--;
            if (entry.Greenlet is not { } greenlet)
            {
                InvokeCallback(entry.Callback!, entry.State);
                continue;
            }

            switch (greenlet.State)
            {
                case GreenletState.Ready:
                    return HandTo(greenlet);
                case GreenletState.Scheduled:
                    if (_tier.TryStart(greenlet))
                    {
                        greenlet.State = GreenletState.Running;
                        return HandTo(greenlet);
                    }

                    continue;
                default:
                    // Killed before its first run, or a stale entry: nothing to do.
                    continue;
            }
        }
    }

    private Greenlet HandTo(Greenlet greenlet)
    {
        Volatile.Write(ref _running, greenlet);
        Counters.CountSwitch();
        return greenlet;
    }

    /// <summary>
    /// Nothing can happen any more. Wakes greenlets waiting for exactly that (<see cref="WaitForLoopExit"/>),
    /// else throws <see cref="LoopExitException"/> into the main greenlet (or, if it is not waiting, the caller).
    /// </summary>
    private bool ResolveDeadlock(Greenlet? self)
    {
        if (_loopExitWaiters.Count > 0)
        {
            foreach (var waiter in _loopExitWaiters)
            {
                waiter.LoopExited |= Wake(waiter.Token);
            }

            _loopExitWaiters.Clear();
            return true;
        }

        var target = MainGreenlet.State == GreenletState.Parked ? MainGreenlet : self;
        if (target is null)
        {
            return false;
        }

        ThrowInto(target, new LoopExitException(target.WaitingOn ?? "nothing"), isKill: true);
        return true;
    }

    private sealed class LoopExitWaiter(WakeToken token)
    {
        public WakeToken Token { get; } = token;

        public bool LoopExited { get; set; }
    }
}
