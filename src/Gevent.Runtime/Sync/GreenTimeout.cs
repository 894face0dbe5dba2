using Gevent.Loop;

namespace Gevent;

/// <summary>
/// Limits how long the current greenlet may spend in what follows: when it expires, its exception is
/// thrown into the greenlet at its blocking point (a sleep, a join, a socket read…), so finally blocks
/// run. Use as a scope — <c>using (GreenTimeout.Start(TimeSpan.FromSeconds(5))) { … }</c> — which
/// cancels it at the end. Nested timeouts are independent: the inner one firing leaves the outer pending.
/// </summary>
/// <remarks>
/// A timeout that fired stands until its scope ends (<see cref="Dispose"/> or <see cref="Cancel"/>): every
/// blocking point of the greenlet inside the scope throws its exception again, so a library that catches it
/// and retries cannot carry on past it. Around a library that wraps or replaces exceptions, ask
/// <see cref="Expired"/> rather than the exception's type, or use <see cref="Run{T}"/> and
/// <see cref="TryRun"/>, which do.
/// </remarks>
public sealed class GreenTimeout : IDisposable
{
    private readonly Greenlet _owner;
    private readonly Exception? _exception;
    private LoopTimer? _timer;
    private Exception? _thrown;

    private GreenTimeout(Greenlet owner, TimeSpan after, Exception? exception)
    {
        _owner = owner;
        After = after;
        _exception = exception;
    }

    /// <summary>The duration the timeout was started with.</summary>
    public TimeSpan After { get; }

    /// <summary>True from start until it fires or is cancelled.</summary>
    public bool Pending => _timer?.Pending ?? false;

    /// <summary>
    /// True once the timeout has fired, whatever became of its exception (a library may have wrapped,
    /// replaced or swallowed it); stays true after the scope ends.
    /// </summary>
    public bool Expired => _thrown is not null;

    /// <summary>The exception it threw into its greenlet, once expired.</summary>
    internal Exception? Thrown => _thrown;

    /// <summary>
    /// Starts a timeout for the current greenlet. When it expires, <paramref name="exception"/> is
    /// thrown — by default a <see cref="GreenTimeoutException"/> whose <see cref="GreenTimeoutException.Timeout"/>
    /// is this instance. <see cref="Timeout.InfiniteTimeSpan"/> never fires.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="after"/> is negative.</exception>
    public static GreenTimeout Start(TimeSpan after, Exception? exception = null)
    {
        Durations.Validate(after, nameof(after), allowInfinite: true);
        var owner = Hub.CurrentGreenlet;
        var timeout = new GreenTimeout(owner, after, exception);
        if (after != Timeout.InfiniteTimeSpan)
        {
            timeout._timer = owner.Hub.Loop.StartTimer(after, static s => ((GreenTimeout)s!).Fire(), timeout);
        }

        return timeout;
    }

    /// <summary>
    /// Runs <paramref name="func"/> under a timeout of <paramref name="after"/>; returns
    /// <paramref name="timeoutValue"/> if this timeout expired and the call ended with an exception —
    /// this timeout's own, or whatever a library made of it (gevent's <c>with_timeout</c>). A kill and
    /// other timeouts' exceptions propagate.
    /// </summary>
    public static T Run<T>(TimeSpan after, Func<T> func, T timeoutValue)
    {
        ArgumentNullException.ThrowIfNull(func);
        using var timeout = Start(after);
        try
        {
            return func();
        }
        catch (Exception e) when (timeout.Explains(e))
        {
            return timeoutValue;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> under a timeout of <paramref name="after"/>, throwing a
    /// <see cref="GreenTimeoutException"/> if it expires; when a library wrapped or replaced it, the
    /// library's exception is its <see cref="Exception.InnerException"/>.
    /// </summary>
    public static void Run(TimeSpan after, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        using var timeout = Start(after);
        try
        {
            action();
        }
        catch (Exception e) when (e != timeout.Thrown && timeout.Explains(e))
        {
            throw new GreenTimeoutException(timeout, e);
        }
    }

    /// <summary>
    /// The silent variant: runs <paramref name="action"/> under a timeout of <paramref name="after"/>
    /// and returns false if this timeout expired and the action ended with an exception (its own, or
    /// whatever a library made of it); true if the action finished. A kill and other timeouts' exceptions propagate.
    /// </summary>
    public static bool TryRun(TimeSpan after, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        using var timeout = Start(after);
        try
        {
            action();
            return true;
        }
        catch (Exception e) when (timeout.Explains(e))
        {
            return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="wait"/> under a timeout when <paramref name="timeout"/> bounds it (null and
    /// infinite do not): how <c>Get(timeout)</c> methods throw a <see cref="GreenTimeoutException"/>.
    /// </summary>
    internal static void Within(TimeSpan? timeout, Action wait)
    {
        if (!Durations.IsBounded(timeout, nameof(timeout)))
        {
            wait();
            return;
        }

        using (Start(timeout!.Value))
        {
            wait();
        }
    }

    /// <summary>Stops the timeout; if it fired but its exception has not reached the greenlet yet, withdraws it.</summary>
    public void Cancel()
    {
        if (_timer is { } timer)
        {
            _owner.Hub.VerifyAccess(this);
            timer.Cancel();
        }

        if (_thrown is { } thrown)
        {
            _owner.Hub.CancelPending(_owner, thrown);
            _owner.RemoveExpiredTimeout(this);
        }
    }

    /// <summary>Same as <see cref="Cancel"/>: ends the scope.</summary>
    public void Dispose() => Cancel();

    /// <inheritdoc />
    public override string ToString() => $"GreenTimeout({After}, {(Pending ? "pending" : "not pending")})";

    private void Fire()
    {
        _thrown = _exception ?? new GreenTimeoutException(this);
        _owner.AddExpiredTimeout(this);
        _owner.Hub.ThrowInto(_owner, _thrown, isKill: false);
    }

    /// <summary>
    /// Whether this timeout's expiry accounts for <paramref name="e"/> ending the call: it expired, and
    /// <paramref name="e"/> is neither the greenlet's kill nor another timeout's own exception.
    /// </summary>
    private bool Explains(Exception e) =>
        Expired && e != _owner.StandingKill && (e is not GreenTimeoutException other || other.Timeout == this);
}
