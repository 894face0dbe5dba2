using System.Runtime.ExceptionServices;
using Gevent.CompilerServices;
using Gevent.Greenlets.Threads;
using Gevent.Loop;

namespace Gevent;

/// <summary>
/// A lightweight cooperative task: runs a delegate, gives other greenlets of its hub their turn at
/// every blocking point, and can be joined, killed and linked to. Create with
/// <see cref="Spawn(Action)"/>, or construct and <see cref="Start"/>.
/// </summary>
public partial class Greenlet
{
    private static int s_nextId;
    private static int s_live;

    // The limit guards against running out of threads, so it counts only the greenlets that own one.
    private static int s_liveThreadBacked;
    private static long s_spawned;

    private readonly Action? _action;
    private List<GreenletLink>? _links;
    private bool _linksScheduled;
    private bool _counted;
    private LoopTimer? _startTimer;
    private Exception? _exception;
    private string? _name;

    /// <summary>Creates an unstarted greenlet of the current hub that will run <paramref name="action"/>.</summary>
    public Greenlet(Action action)
        : this(Hub.Current)
    {
        ArgumentNullException.ThrowIfNull(action);
        _action = action;
    }

    /// <summary>Base constructor for <see cref="Greenlet{T}"/>.</summary>
    private protected Greenlet(Hub hub)
    {
        Hub = hub;
        Id = Interlocked.Increment(ref s_nextId);
        ParentId = Hub.CurrentGreenletOrNull?.Id;
    }

    private Greenlet(Hub hub, string mainName)
        : this(hub)
    {
        IsMain = true;
        State = GreenletState.Running;
        _name = mainName;
    }

    /// <summary>The greenlet running now on this thread (on a thread new to Gevent, the main greenlet of its new hub).</summary>
    public static Greenlet Current => Hub.CurrentGreenlet;

    /// <summary>How many greenlets are alive (started and not dead) in this process.</summary>
    public static int LiveCount => Volatile.Read(ref s_live);

    /// <summary>How many greenlets have been started in this process.</summary>
    internal static long SpawnedCount => Interlocked.Read(ref s_spawned);

    /// <summary>The hub this greenlet belongs to.</summary>
    public Hub Hub { get; }

    /// <summary>A number unique in this process.</summary>
    public int Id { get; }

    /// <summary>A name for logs and errors; <c>Greenlet-N</c> unless set.</summary>
    public string Name
    {
        get => _name ??= $"Greenlet-{Id}";
        set => _name = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>True once <see cref="Start"/> or <see cref="StartLater"/> was called (or this is a main greenlet).</summary>
    public bool Started => State != GreenletState.Created || IsMain;

    /// <summary>True once the greenlet has finished, failed or been killed (same as <see cref="Dead"/>).</summary>
    public bool Ready => State == GreenletState.Dead;

    /// <summary>True once the greenlet has finished, failed or been killed.</summary>
    public bool Dead => State == GreenletState.Dead;

    /// <summary>True if the greenlet ended without an exception, or with <see cref="GreenletExit"/>.</summary>
    public bool Successful => Dead && _exception is null;

    /// <summary>The exception that ended the greenlet, or null (also when it was killed with <see cref="GreenletExit"/>).</summary>
    public Exception? Exception => _exception;

    /// <summary>True for the greenlet of the thread that created a hub.</summary>
    public bool IsMain { get; }

    internal GreenletState State { get; set; }

    /// <summary>True while the greenlet is queued for its first run, started by <see cref="Start"/> or by its <see cref="StartLater"/> delay's end.</summary>
    internal bool QueuedToStart => State == GreenletState.Scheduled && _startTimer is null;

    /// <summary>The id of the greenlet that created this one (an id, not a reference, so dead ancestors are not kept alive).</summary>
    internal int? ParentId { get; }

    /// <summary>Where the greenlet was started, captured while the blocking monitor runs.</summary>
    internal System.Diagnostics.StackTrace? SpawnedAt { get; private set; }

    /// <summary>Where the greenlet last came back from a blocking point, captured while the blocking monitor runs.</summary>
    internal System.Diagnostics.StackTrace? ResumedAt { get; set; }

    /// <summary>What the greenlet last blocked on (kept after it resumed, for blocking reports).</summary>
    internal string? LastWaitedOn { get; set; }

    /// <summary>
    /// The OS thread carrying this greenlet: tier 1 assigns it at its first run for good; a stackless greenlet has
    /// one only while it runs or pins. Null under a tier that uses none.
    /// </summary>
    internal CarrierThread? Carrier { get; set; }

    /// <summary>Counts this greenlet's waits; see <see cref="WakeToken"/>.</summary>
    internal int WaitSerial { get; set; }

    /// <summary>What the greenlet is blocked on, while parked.</summary>
    internal string? WaitingOn { get; set; }

    /// <summary>An exception (kill, timeout) to throw at the greenlet's current or next blocking point.</summary>
    internal Exception? PendingException { get; set; }

    /// <summary>True when the greenlet was woken to throw <see cref="PendingException"/>.</summary>
    internal bool ResumeWithException { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({(Dead ? (Successful ? "dead" : "failed") : State.ToString().ToLowerInvariant())})";

    /// <summary>Schedules the greenlet to run; does nothing if it was already started.</summary>
    /// <exception cref="GreenletLimitExceededException">The process already has <see cref="GeventConfig.MaxGreenlets"/> live greenlets.</exception>
    public void Start()
    {
        Hub.VerifyAccess(this);
        if (State != GreenletState.Created || IsMain)
        {
            return;
        }

        CountAlive();
        Hub.ScheduleStart(this);
    }

    /// <summary>Schedules the greenlet to run after <paramref name="delay"/>; does nothing if it was already started.</summary>
    public void StartLater(TimeSpan delay)
    {
        Durations.Validate(delay, nameof(delay), allowInfinite: false);
        Hub.VerifyAccess(this);
        if (State != GreenletState.Created || IsMain)
        {
            return;
        }

        CountAlive();
        State = GreenletState.Scheduled;
        _startTimer = Hub.Loop.StartTimer(delay, static s =>
        {
            var greenlet = (Greenlet)s!;
            greenlet._startTimer = null;
            greenlet.Hub.ScheduleStart(greenlet);
        }, this);
    }

    /// <summary>
    /// Waits until the greenlet is dead or <paramref name="timeout"/> passes (null: no limit). Returns
    /// whether it is dead. Does not throw the greenlet's exception; see <see cref="Get"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The greenlet is the current one.</exception>
    /// <remarks>Resumable (<see cref="FrameStack"/>): a stackless greenlet joins without a thread.</remarks>
    [Resumable]
    public bool Join(TimeSpan? timeout = null)
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        JoinFrame wait;
        if (linked && frames!.IsResuming)
        {
            wait = (JoinFrame)frames.Pop();
        }
        else
        {
            var bounded = Durations.IsBounded(timeout, nameof(timeout));
            Hub.VerifyAccess(this);
            if (Dead)
            {
                return true;
            }

            var current = Hub.CurrentGreenlet;
            if (current == this)
            {
                throw new InvalidOperationException($"Greenlet '{Name}' cannot join itself: it would wait forever for its own end.");
            }

            var token = new WakeToken(current);
            wait = new JoinFrame(
                AddLink(new GreenletLink(s_joinLinkCallback, LinkKind.Always, token, raw: true)),
                bounded ? Hub.Loop.StartTimer(timeout!.Value, WakeToken.WakeCallback, token) : null);
        }

        try
        {
            if (linked)
            {
                frames!.Link();
            }

            Hub.BlockResumably($"Join({Name})");
            if (frames is { IsSuspending: true })
            {
                frames.Push(wait);
                return false;
            }
        }
        finally
        {
            if (frames is not { IsSuspending: true })
            {
                wait.Timer?.Cancel();
                RemoveLink(wait.Link);
            }
        }

        return Dead;
    }

    /// <summary>
    /// Waits for the greenlet to end and re-throws its exception, with its original stack trace.
    /// </summary>
    /// <exception cref="GreenTimeoutException"><paramref name="timeout"/> passed first.</exception>
    public void Get(TimeSpan? timeout = null)
    {
        WaitForResult(timeout);
    }

    /// <summary>
    /// Kills the greenlet: <paramref name="exception"/> (default a new <see cref="GreenletExit"/>) is
    /// thrown at its blocking point, so its finally blocks run. A greenlet not yet started never runs,
    /// but its links fire. Killing a dead greenlet does nothing. With <paramref name="block"/>, waits
    /// up to <paramref name="timeout"/> for it to die.
    /// </summary>
    /// <remarks>
    /// The kill stands until the greenlet's function returns: a library that catches it and blocks again
    /// is interrupted again at each blocking point. A function that ends with another exception after the
    /// kill reached it (a library wrapped or replaced it) ends as killed; that exception is logged at
    /// debug level. A main greenlet's kill is thrown once.
    /// </remarks>
    public void Kill(Exception? exception = null, bool block = true, TimeSpan? timeout = null)
    {
        Durations.IsBounded(timeout, nameof(timeout));
        Hub.VerifyAccess(this);
        if (Dead)
        {
            return;
        }

        if (State is GreenletState.Created or GreenletState.Scheduled)
        {
            // Never ran: it never will; its queue entry is skipped once it is dead.
            _startTimer?.Cancel();
            _startTimer = null;
            Finish(exception ?? new GreenletExit());
            return;
        }

        // Only a running greenlet killing itself throws here. A loop callback may run on the victim's own thread
        // (a greenlet that yields or blocks runs the loop on its own thread); there the kill is delivered at its blocking point.
        if (Hub.CooperativeGreenlet == this)
        {
            exception ??= new GreenletExit();
            StandKill(exception);
            _killDelivered = true;
            throw exception;
        }

        exception ??= s_defaultKill;
        StandKill(exception);
        Hub.ThrowInto(this, exception, isKill: true);
        if (block)
        {
            Join(timeout);
        }
    }

    /// <summary>Calls <paramref name="callback"/>, in a new greenlet, when this greenlet dies (at once if it is dead). Links run in the order added.</summary>
    public void Link(Action<Greenlet> callback) => AddUserLink(callback, LinkKind.Always);

    /// <summary>Like <see cref="Link"/>, only if the greenlet ends successfully.</summary>
    public void LinkValue(Action<Greenlet> callback) => AddUserLink(callback, LinkKind.Value);

    /// <summary>Like <see cref="Link"/>, only if the greenlet ends with an exception.</summary>
    public void LinkException(Action<Greenlet> callback) => AddUserLink(callback, LinkKind.Exception);

    /// <summary>Removes every link to <paramref name="callback"/> that has not fired.</summary>
    public void Unlink(Action<Greenlet> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Hub.VerifyAccess(this);
        _links?.RemoveAll(link => !link.Raw && link.Callback.Equals(callback));
    }

    /// <summary>The main greenlet of a new hub: the thread that created it, already running; its tier adopts the thread.</summary>
    internal static Greenlet CreateMain(Hub hub) => new(hub, $"Main greenlet of hub {hub.Id}");

    /// <summary>Runs the body on the carrier thread; never throws.</summary>
    internal void Execute()
    {
        Exception? outcome = null;
        try
        {
            Run();
        }
        catch (Exception e)
        {
            outcome = e;
        }

        End(outcome);
    }

    /// <summary>Ends the greenlet once its body returned (<paramref name="outcome"/> null) or threw.</summary>
    private void End(Exception? outcome)
    {
        PendingException = null;
        Finish(OutcomeAfterKill(outcome));
    }

    /// <summary>Ends a greenlet whose thread could not be created.</summary>
    internal void FailToStart(Exception exception) => Finish(exception);

    /// <summary>Adds a runtime link run inline in the loop when this greenlet dies.</summary>
    internal GreenletLink AddRawLink(Action<Greenlet, object?> callback, object? state) =>
        AddLink(new GreenletLink(callback, LinkKind.Always, state, raw: true));

    /// <summary>Removes <paramref name="link"/>; false if it is not there (never added, removed, or already run).</summary>
    internal bool RemoveLink(GreenletLink link) => _links?.Remove(link) == true;

    /// <summary>Runs the greenlet's body.</summary>
    private protected virtual void Run() => _action!();

    /// <summary>Waits up to <paramref name="timeout"/> for the end and re-throws a failure.</summary>
    private protected void WaitForResult(TimeSpan? timeout)
    {
        if (!Dead)
        {
            GreenTimeout.Within(timeout, () => Join());
        }

        if (_exception is not null)
        {
            ExceptionDispatchInfo.Throw(_exception);
        }
    }

    private static readonly Action<Greenlet, object?> s_joinLinkCallback = static (_, state) =>
    {
        var token = (WakeToken)state!;
        token.Greenlet.Hub.Wake(token);
    };

    /// <summary>What a suspended <see cref="Join"/> keeps: the link and timer that wake it, removed once it resumes.</summary>
    private sealed class JoinFrame(GreenletLink link, LoopTimer? timer) : ResumableFrame
    {
        public GreenletLink Link { get; } = link;

        public LoopTimer? Timer { get; } = timer;
    }

    private void CountAlive()
    {
        if (Frames is null)
        {
            var limit = GeventConfig.Current.MaxGreenlets;
            if (Interlocked.Increment(ref s_liveThreadBacked) > limit)
            {
                Interlocked.Decrement(ref s_liveThreadBacked);
                throw new GreenletLimitExceededException(limit);
            }
        }

        Interlocked.Increment(ref s_live);
        _counted = true;
        Interlocked.Increment(ref s_spawned);
        Hub.Live.Add(this);
        if (HubMonitor.Instance.CapturesStacks)
        {
            SpawnedAt = new System.Diagnostics.StackTrace(2, fNeedFileInfo: true);
        }
    }

    private void Finish(Exception? outcome)
    {
        State = GreenletState.Dead;
        _exception = outcome is GreenletExit ? null : outcome;

        // The kill's exception and its stack trace are garbage once the greenlet is dead, unless it is the outcome.
        _standingKill = null;
        if (_counted)
        {
            Interlocked.Decrement(ref s_live);
            if (Frames is null)
            {
                Interlocked.Decrement(ref s_liveThreadBacked);
            }

            Hub.Live.Remove(this);
        }

        if (_exception is not null)
        {
            Hub.ReportError(this, _exception);
        }

        ScheduleLinks();
    }

    private void AddUserLink(Action<Greenlet> callback, LinkKind kind)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Hub.VerifyAccess(this);
        AddLink(new GreenletLink(callback, kind, null, raw: false));
    }

    private GreenletLink AddLink(GreenletLink link)
    {
        (_links ??= []).Add(link);
        if (Dead)
        {
            ScheduleLinks();
        }

        return link;
    }

    private void ScheduleLinks()
    {
        if (_linksScheduled || _links is not { Count: > 0 })
        {
            return;
        }

        _linksScheduled = true;
        Hub.Loop.Enqueue(static s => ((Greenlet)s!).NotifyLinks(), this);
    }

    private void NotifyLinks()
    {
        _linksScheduled = false;
        var links = _links!;
        _links = null;
        foreach (var link in links)
        {
            if (!link.Matches(this))
            {
                continue;
            }

            try
            {
                link.Fire(this);
            }
            catch (Exception e)
            {
                Hub.ReportError(this, e);
            }
        }
    }
}
