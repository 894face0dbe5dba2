using System.Diagnostics;
using System.Net.Sockets;

namespace Gevent.Loop;

/// <summary>
/// A hub's event loop, libev-style: a timer heap on a cached clock, socket watchers on an OS
/// poller (epoll or portable select), and FIFO callbacks. Only the greenlet holding the hub's baton
/// uses it, except <see cref="RunCallbackThreadSafe"/>.
/// </summary>
public sealed class EventLoop : IDisposable
{
    private readonly Hub _hub;
    private readonly PollBackend _backend;
    private readonly TimerHeap _timers = new();
    private readonly ReadyQueue _ready = new();
    private readonly Dictionary<Socket, IoRegistration> _registrations = [];
    private readonly List<IoRegistration?> _slots = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly List<(int Slot, IoEvents Events)> _polled = [];
    private readonly List<IoRegistration> _stale = [];
    private readonly object _threadSafeGate = new();
    private List<(Action<object?> Callback, object? State)> _threadSafe = [];
    private List<(Action<object?> Callback, object? State)> _threadSafeSpare = [];
    private int _threadSafeCount;
    private int _wakeRequested;
    private int _refTimers;
    private int _activeWatchers;
    private int _asyncRefs;
    private long _lastPoll;
    private bool _idle;
    private bool _threadSafeClosed;
    private bool _disposed;

    internal EventLoop(Hub hub, PollBackend backend)
    {
        _hub = hub;
        _backend = backend;
        Now = Stopwatch.GetTimestamp();
    }

    /// <summary>The backend polling the OS: <c>epoll</c> or <c>select</c> (<c>GEVENT_LOOP</c>).</summary>
    public string Backend => _backend.Name;

    /// <summary>The loop's clock in <see cref="Stopwatch"/> ticks, as of the last iteration.</summary>
    internal long Now { get; private set; }

    internal ReadyQueue Ready => _ready;

    /// <summary>True while the loop waits in the OS for something to happen: the hub is idle, not blocked.</summary>
    internal bool IsIdle => Volatile.Read(ref _idle);

    /// <summary>Loop iterations so far (polls of the OS); read by metrics from other threads.</summary>
    internal long Iterations => _hub.Counters.Iterations;

    /// <summary>Whether a greenlet other than the running one could be waiting for the baton.</summary>
    internal bool HasWaiters => _ready.Count > 0 || _refTimers > 0 || _activeWatchers > 0 || _asyncRefs > 0;

    /// <summary>Sockets the loop holds a registration for (watched, or stopped since the last poll).</summary>
    internal int RegisteredSockets => _registrations.Count;

    /// <summary>
    /// Whether the next batch should poll first. While greenlets keep each other busy the poll (a
    /// syscall) is skipped, as gevent does, but never past a due timer, a waiting cross-thread
    /// callback or <see cref="s_maxPollInterval"/>, so sockets and timers are never starved.
    /// </summary>
    internal bool PollDue =>
        _ready.Count == 0 ||
        Volatile.Read(ref _threadSafeCount) > 0 ||
        Stopwatch.GetTimestamp() is var now && (now - _lastPoll > s_maxPollIntervalTicks || _timers.Peek()?.Due <= now);

    /// <summary>
    /// True while something could still make work: a ready item, a pending timer or watcher that
    /// keeps the loop alive, a thread-safe callback, or an outstanding operation on another thread.
    /// </summary>
    internal bool IsAlive =>
        _ready.Count > 0 || _refTimers > 0 || _activeWatchers > 0 || _asyncRefs > 0 || Volatile.Read(ref _threadSafeCount) > 0;

    /// <summary>Queues <paramref name="callback"/> to run in the loop after what is already queued. It must not block.</summary>
    public void RunCallback(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _hub.VerifyAccess(this);
        _ready.Enqueue(new ReadyQueue.Entry(null, static s => ((Action)s!)(), callback));
    }

    /// <summary>
    /// Queues <paramref name="callback"/> from any thread, waking the loop if it is polling.
    /// The only member of the hub that other threads may call.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The hub is disposed, or far enough into <see cref="Hub.Dispose"/> that it runs no more callbacks.</exception>
    public void RunCallbackThreadSafe(Action callback)
    {
        if (!TryRunCallbackThreadSafe(callback))
        {
            throw new ObjectDisposedException(_hub.ToString(), $"Hub {_hub.Id} was disposed: its loop runs no more callbacks.");
        }
    }

    /// <summary>Like <see cref="RunCallbackThreadSafe"/>; returns false instead of throwing once the hub refuses callbacks.</summary>
    internal bool TryRunCallbackThreadSafe(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return TryPostThreadSafe(static s => ((Action)s!)(), callback);
    }

    /// <summary>
    /// Calls <paramref name="callback"/> in the loop once <paramref name="after"/> has passed. The
    /// callback must not block; an exception it throws goes to <see cref="Hub.ErrorHandler"/>.
    /// </summary>
    public LoopTimer StartTimer(TimeSpan after, Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Durations.Validate(after, nameof(after), allowInfinite: false);
        _hub.VerifyAccess(this);
        return StartTimer(after, static s => ((Action)s!)(), callback);
    }

    /// <summary>The longest the loop goes without polling while greenlets are ready.</summary>
    internal static readonly TimeSpan s_maxPollInterval = TimeSpan.FromMicroseconds(100);

    private static readonly long s_maxPollIntervalTicks = Durations.ToStopwatchTicks(s_maxPollInterval);

    internal LoopTimer StartTimer(TimeSpan after, Action<object?> callback, object? state, bool keepsLoopAlive = true)
    {
        // Read the clock afresh: the cached one can be a whole CPU-bound stretch old.
        Now = Stopwatch.GetTimestamp();
        var timer = new LoopTimer(this, Now + Durations.ToStopwatchTicks(after), callback, state, keepsLoopAlive);
        _timers.Add(timer);
        if (keepsLoopAlive)
        {
            _refTimers++;
        }

        return timer;
    }

    internal void StopTimer(LoopTimer timer)
    {
        if (!timer.Pending)
        {
            return;
        }

        _timers.Remove(timer);
        if (timer.KeepsLoopAlive)
        {
            _refTimers--;
        }
    }

    internal void Enqueue(Greenlet greenlet) => _ready.Enqueue(new ReadyQueue.Entry(greenlet, null, null));

    internal void Enqueue(Action<object?> callback, object? state) => _ready.Enqueue(new ReadyQueue.Entry(null, callback, state));

    /// <summary>
    /// Queues a completion from another thread. Once the hub is disposed it is dropped: the greenlet that waited
    /// for it was killed, and the runtime's thread that posts it has nobody to tell.
    /// </summary>
    internal void PostThreadSafe(Action<object?> callback, object? state) => TryPostThreadSafe(callback, state);

    /// <summary>
    /// Refuses callbacks from other threads from now on; those already accepted join the ready queue, so that
    /// the disposing hub runs each exactly once. The backend's wake-up stays valid for a poster that was accepted
    /// just before: its handle is closed only by <see cref="Dispose"/>, and a late wake-up is then ignored.
    /// </summary>
    internal void CloseThreadSafe()
    {
        lock (_threadSafeGate)
        {
            _threadSafeClosed = true;
        }

        TakeThreadSafeCallbacks();
    }

    /// <summary>Marks an operation running elsewhere whose completion will post back: the loop must not exit meanwhile.</summary>
    internal void AddAsyncRef() => _asyncRefs++;

    internal void ReleaseAsyncRef() => _asyncRefs--;

    /// <summary>Starts <paramref name="watcher"/>; a second watcher for the same readiness of one socket is refused.</summary>
    internal void StartIo(IoWatcher watcher)
    {
        if (!_registrations.TryGetValue(watcher.Socket, out var registration))
        {
            int slot;
            if (_freeSlots.Count > 0)
            {
                slot = _freeSlots.Pop();
            }
            else
            {
                slot = _slots.Count;
                _slots.Add(null);
            }

            registration = new IoRegistration(watcher.Socket, slot);
            _slots[slot] = registration;
            _registrations.Add(watcher.Socket, registration);
        }

        var existing = watcher.Events == IoEvents.Read ? registration.Reader : registration.Writer;
        if (existing is not null)
        {
            ReleaseIfUnused(registration);
            var what = watcher.Events == IoEvents.Read ? "read from" : "write to";
            throw new ConcurrentObjectUseException(
                $"{Describe(watcher.Owner) ?? "A greenlet"} tried to {what} a socket that {Describe(existing.Owner) ?? "another greenlet"} is already waiting to {what}; a socket has one reader and one writer at a time.");
        }

        if (watcher.Events == IoEvents.Read)
        {
            registration.Reader = watcher;
        }
        else
        {
            registration.Writer = watcher;
        }

        try
        {
            // Still registered from a watcher stopped since the last poll: nothing to tell the kernel.
            if ((registration.Registered & watcher.Events) == 0 || registration.Socket.SafeHandle.IsClosed)
            {
                _backend.Update(registration);
            }
        }
        catch
        {
            if (watcher.Events == IoEvents.Read)
            {
                registration.Reader = null;
            }
            else
            {
                registration.Writer = null;
            }

            ReleaseIfUnused(registration);
            throw;
        }

        watcher.Registration = registration;
        _activeWatchers++;
    }

    internal void StopIo(IoWatcher watcher)
    {
        var registration = watcher.Registration;
        if (registration is null)
        {
            return;
        }

        watcher.Registration = null;
        _activeWatchers--;
        if (registration.Reader == watcher)
        {
            registration.Reader = null;
        }
        else if (registration.Writer == watcher)
        {
            registration.Writer = null;
        }

        // The kernel is told at the next poll (libev's fd_reify): a greenlet that wakes, reads and waits
        // again before then — the common case — costs no epoll_ctl at all.
        if (!registration.Stale)
        {
            registration.Stale = true;
            _stale.Add(registration);
        }
    }

    /// <summary>
    /// Fires the watchers of <paramref name="socket"/>, which is about to be closed, so the greenlets waiting
    /// on it wake and see the close. Needed because epoll drops a closed descriptor silently: without this
    /// they would wait forever. They stop their watchers themselves, as after any wake-up.
    /// </summary>
    internal void NotifyClosing(Socket socket)
    {
        if (_registrations.TryGetValue(socket, out var registration))
        {
            FireWatchers(registration);
        }
    }

    private void FireWatchers(IoRegistration registration)
    {
        if (registration.Reader is { } reader)
        {
            _hub.InvokeCallback(reader.Callback, reader.State);
        }

        if (registration.Writer is { } writer)
        {
            _hub.InvokeCallback(writer.Callback, writer.State);
        }
    }

    /// <summary>
    /// One iteration: poll the OS (waiting only if <paramref name="mayBlock"/> and nothing is ready),
    /// run socket watchers, take thread-safe callbacks, fire due timers.
    /// </summary>
    internal void RunOnce(bool mayBlock)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var timeout = 0;
        if (mayBlock && _ready.Count == 0)
        {
            // Re-arm the wake-up before the last look at the count: a post after this line writes to the
            // backend, one before it is counted. Left armed, a post would skip the write and sleep unseen.
            Interlocked.Exchange(ref _wakeRequested, 0);
            if (Volatile.Read(ref _threadSafeCount) == 0)
            {
                timeout = NextTimeoutMs();
            }
        }

        ReifyStale();
        _polled.Clear();
        Volatile.Write(ref _idle, timeout != 0);
        try
        {
            _backend.Poll(timeout, _polled);
        }
        finally
        {
            Volatile.Write(ref _idle, false);
        }

        _hub.Counters.CountIteration();
        Now = Stopwatch.GetTimestamp();
        _lastPoll = Now;
        foreach (var (slot, events) in _polled)
        {
            var registration = slot < _slots.Count ? _slots[slot] : null;
            if (registration is null)
            {
                continue;
            }

            if ((events & IoEvents.Read) != 0 && registration.Reader is { } reader)
            {
                _hub.InvokeCallback(reader.Callback, reader.State);
            }

            if ((events & IoEvents.Write) != 0 && registration.Writer is { } writer)
            {
                _hub.InvokeCallback(writer.Callback, writer.State);
            }
        }

        TakeThreadSafeCallbacks();
        while (_timers.Peek() is { } timer && timer.Due <= Now)
        {
            StopTimer(timer);
            _hub.InvokeCallback(timer.Callback, timer.State);
        }
    }

    private static string? Describe(Greenlet? owner) => owner is null ? null : $"Greenlet '{owner.Name}'";

    /// <summary>
    /// Releases the OS poller, once; <see cref="Hub.Dispose"/> calls it after ending the hub's greenlets, and
    /// callbacks from other threads are refused from then on.
    /// </summary>
    public void Dispose()
    {
        CloseThreadSafe();
        if (!_disposed)
        {
            _disposed = true;
            _backend.Dispose();
        }
    }

    /// <summary>Queues <paramref name="callback"/> from any thread, waking the loop; false once the hub runs no more callbacks.</summary>
    internal bool TryPostThreadSafe(Action<object?> callback, object? state)
    {
        lock (_threadSafeGate)
        {
            if (_threadSafeClosed)
            {
                return false;
            }

            _threadSafe.Add((callback, state));
            _threadSafeCount++;
        }

        // Outside the gate, and maybe after the backend's disposal: each backend ignores a wake-up it can no longer deliver.
        if (Interlocked.Exchange(ref _wakeRequested, 1) == 0)
        {
            _backend.Wake();
        }

        return true;
    }

    private int NextTimeoutMs()
    {
        if (_timers.Peek() is not { } next)
        {
            return -1;
        }

        var remaining = next.Due - Stopwatch.GetTimestamp();
        if (remaining <= 0)
        {
            return 0;
        }

        // Round up: waking a little late is fine, waking early costs an extra iteration.
        return (int)Math.Min(int.MaxValue, (remaining + Stopwatch.Frequency / 1000 - 1) / (Stopwatch.Frequency / 1000));
    }

    private void TakeThreadSafeCallbacks()
    {
        if (Volatile.Read(ref _threadSafeCount) == 0)
        {
            return;
        }

        // The wake-up stays requested until the loop is about to block (RunOnce re-arms it there): while the
        // loop runs it sees posts through the count, and posters skip writing to the backend.
        List<(Action<object?> Callback, object? State)> batch;
        lock (_threadSafeGate)
        {
            batch = _threadSafe;
            _threadSafe = _threadSafeSpare;
            _threadSafeSpare = batch;
            _threadSafeCount = 0;
        }

        foreach (var (callback, state) in batch)
        {
            _ready.Enqueue(new ReadyQueue.Entry(null, callback, state));
        }

        batch.Clear();
    }

    /// <summary>Brings the kernel's interest down to the watchers still started, before polling.</summary>
    private void ReifyStale()
    {
        // By index: a watcher callback fired below may stop a watcher, adding to the list.
        for (var i = 0; i < _stale.Count; i++)
        {
            var registration = _stale[i];
            registration.Stale = false;
            if (registration.Interest == IoEvents.None)
            {
                ReleaseIfUnused(registration);
            }
            else if (registration.Interest != registration.Registered && !registration.Socket.SafeHandle.IsClosed)
            {
                try
                {
                    _backend.Update(registration);
                }
                catch (Exception e)
                {
                    // The descriptor was closed or reused behind the socket's back. Whoever polls has no caller to
                    // tell: a finishing greenlet's thread would end the process. The error handler hears of it, and
                    // the remaining watchers fire so their greenlets retry and meet the failure themselves.
                    _hub.ReportError(null, e);
                    FireWatchers(registration);
                }
            }
        }

        _stale.Clear();
    }

    private void ReleaseIfUnused(IoRegistration registration)
    {
        // Also called for a stale registration that StartIo released already: its slot may be reused by now.
        if (registration.Interest != IoEvents.None || _slots[registration.Slot] != registration)
        {
            return;
        }

        _backend.Remove(registration);
        _registrations.Remove(registration.Socket);
        _slots[registration.Slot] = null;
        _freeSlots.Push(registration.Slot);
    }
}
