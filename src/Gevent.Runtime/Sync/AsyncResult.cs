using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace Gevent;

/// <summary>
/// A value or an exception that will arrive later, which greenlets can wait for (gevent's
/// <c>AsyncResult</c>). Set once, with <see cref="Set"/> or <see cref="SetException"/>; every waiter
/// is woken. It is a link target: <c>greenlet.Link(result)</c> (<see cref="Greenlet{T}.Link(AsyncResult{T})"/>)
/// completes it with the greenlet's value or exception. <see cref="Get"/> re-throws the original
/// exception with its original stack trace.
/// </summary>
/// <typeparam name="T">The type of the value.</typeparam>
public sealed class AsyncResult<T>
{
    private readonly Hub _hub;
    private readonly WaiterQueue<bool> _waiters;
    private T? _value;

    /// <summary>Creates an unset result belonging to the current hub.</summary>
    public AsyncResult()
        : this(Hub.Current)
    {
    }

    internal AsyncResult(Hub hub)
    {
        _hub = hub;
        _waiters = new WaiterQueue<bool>(hub);
    }

    /// <summary>True once a value or an exception was set.</summary>
    public bool Ready { get; private set; }

    /// <summary>True once a value (not an exception) was set.</summary>
    public bool Successful => Ready && Exception is null;

    /// <summary>The value once set successfully; default otherwise.</summary>
    [MaybeNull]
    public T Value => _value;

    /// <summary>The exception once set with <see cref="SetException"/>; null otherwise.</summary>
    public Exception? Exception { get; private set; }

    /// <summary>Sets the value and wakes every waiter. Never blocks, so loop callbacks may call it.</summary>
    /// <exception cref="InvalidOperationException">The result was already set.</exception>
    public void Set(T value)
    {
        ThrowIfReady();
        _value = value;
        Complete();
    }

    /// <summary>Sets the exception <paramref name="e"/> that <see cref="Get"/> will re-throw, and wakes every waiter.</summary>
    /// <exception cref="InvalidOperationException">The result was already set.</exception>
    public void SetException(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        ThrowIfReady();
        Exception = e;
        Complete();
    }

    /// <summary>Waits until the result is set or <paramref name="timeout"/> passes; returns <see cref="Ready"/>. Does not throw the exception.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public bool Wait(TimeSpan? timeout = null)
    {
        Durations.IsBounded(timeout, nameof(timeout));
        _hub.VerifyAccess(this);
        if (!Ready)
        {
            _waiters.Wait("AsyncResult.Wait()", timeout, out _);
        }

        return Ready;
    }

    /// <summary>
    /// Waits for the result (at most <paramref name="timeout"/>) and returns the value, or re-throws
    /// the exception with its original stack trace.
    /// </summary>
    /// <exception cref="GreenTimeoutException"><paramref name="timeout"/> passed first.</exception>
    public T Get(TimeSpan? timeout = null)
    {
        Durations.IsBounded(timeout, nameof(timeout));
        if (!Ready)
        {
            GreenTimeout.Within(timeout, () => Wait());
        }

        if (Exception is not null)
        {
            ExceptionDispatchInfo.Throw(Exception);
        }

        return _value!;
    }

    /// <summary>Completes this result from a dead greenlet: its exception, else <paramref name="value"/>.</summary>
    internal void SetFrom(Greenlet source, T value)
    {
        if (source.Exception is { } failure)
        {
            SetException(failure);
        }
        else
        {
            Set(value);
        }
    }

    private void ThrowIfReady()
    {
        _hub.VerifyAccess(this);
        if (Ready)
        {
            throw new InvalidOperationException("This AsyncResult was already set; a result is set once.");
        }
    }

    private void Complete()
    {
        Ready = true;
        _waiters.HandOffAll(true);
    }
}
