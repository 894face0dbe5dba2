using Gevent;

namespace ResumableSpawnCases;

/// <summary>
/// <see cref="SemaphoreSlim.Wait()"/> and <see cref="ManualResetEventSlim.Wait()"/> in blocking style, each overload
/// (the rent of a connection pool waits in both). Woven with resumable frames, its greenlets wait without a thread;
/// unwoven, on plain threads, it is ordinary blocking code. The waits without a result answer true once they return.
/// </summary>
public static class SlimWaits
{
    /// <summary><see cref="SemaphoreSlim.Wait()"/>.</summary>
    public static bool SemaphoreWait(SemaphoreSlim semaphore)
    {
        semaphore.Wait();
        return true;
    }

    /// <summary><see cref="SemaphoreSlim.Wait(int)"/>.</summary>
    public static bool SemaphoreWaitMilliseconds(SemaphoreSlim semaphore, int millisecondsTimeout) => semaphore.Wait(millisecondsTimeout);

    /// <summary><see cref="SemaphoreSlim.Wait(TimeSpan)"/>.</summary>
    public static bool SemaphoreWaitTimeSpan(SemaphoreSlim semaphore, TimeSpan timeout) => semaphore.Wait(timeout);

    /// <summary><see cref="SemaphoreSlim.Wait(CancellationToken)"/>.</summary>
    public static bool SemaphoreWaitToken(SemaphoreSlim semaphore, CancellationToken cancellationToken)
    {
        semaphore.Wait(cancellationToken);
        return true;
    }

    /// <summary><see cref="SemaphoreSlim.Wait(int, CancellationToken)"/>.</summary>
    public static bool SemaphoreWaitMillisecondsToken(SemaphoreSlim semaphore, int millisecondsTimeout, CancellationToken cancellationToken) =>
        semaphore.Wait(millisecondsTimeout, cancellationToken);

    /// <summary><see cref="SemaphoreSlim.Wait(TimeSpan, CancellationToken)"/>.</summary>
    public static bool SemaphoreWaitTimeSpanToken(SemaphoreSlim semaphore, TimeSpan timeout, CancellationToken cancellationToken) =>
        semaphore.Wait(timeout, cancellationToken);

    /// <summary><see cref="ManualResetEventSlim.Wait()"/>.</summary>
    public static bool EventWait(ManualResetEventSlim @event)
    {
        @event.Wait();
        return true;
    }

    /// <summary><see cref="ManualResetEventSlim.Wait(int)"/>.</summary>
    public static bool EventWaitMilliseconds(ManualResetEventSlim @event, int millisecondsTimeout) => @event.Wait(millisecondsTimeout);

    /// <summary><see cref="ManualResetEventSlim.Wait(TimeSpan)"/>.</summary>
    public static bool EventWaitTimeSpan(ManualResetEventSlim @event, TimeSpan timeout) => @event.Wait(timeout);

    /// <summary><see cref="ManualResetEventSlim.Wait(CancellationToken)"/>.</summary>
    public static bool EventWaitToken(ManualResetEventSlim @event, CancellationToken cancellationToken)
    {
        @event.Wait(cancellationToken);
        return true;
    }

    /// <summary><see cref="ManualResetEventSlim.Wait(int, CancellationToken)"/>.</summary>
    public static bool EventWaitMillisecondsToken(ManualResetEventSlim @event, int millisecondsTimeout, CancellationToken cancellationToken) =>
        @event.Wait(millisecondsTimeout, cancellationToken);

    /// <summary><see cref="ManualResetEventSlim.Wait(TimeSpan, CancellationToken)"/>.</summary>
    public static bool EventWaitTimeSpanToken(ManualResetEventSlim @event, TimeSpan timeout, CancellationToken cancellationToken) =>
        @event.Wait(timeout, cancellationToken);

    /// <summary>A greenlet whose value is <see cref="SemaphoreWait"/>'s.</summary>
    public static Greenlet<bool> SpawnSemaphoreWait(SemaphoreSlim semaphore) => Greenlet.Spawn(() => SemaphoreWait(semaphore));

    /// <summary>A greenlet whose value is <see cref="SemaphoreWaitMilliseconds"/>'.</summary>
    public static Greenlet<bool> SpawnSemaphoreWaitMilliseconds(SemaphoreSlim semaphore, int millisecondsTimeout) =>
        Greenlet.Spawn(() => SemaphoreWaitMilliseconds(semaphore, millisecondsTimeout));

    /// <summary>A greenlet whose value is <see cref="SemaphoreWaitTimeSpan"/>'s.</summary>
    public static Greenlet<bool> SpawnSemaphoreWaitTimeSpan(SemaphoreSlim semaphore, TimeSpan timeout) =>
        Greenlet.Spawn(() => SemaphoreWaitTimeSpan(semaphore, timeout));

    /// <summary>A greenlet whose value is <see cref="SemaphoreWaitToken"/>'s.</summary>
    public static Greenlet<bool> SpawnSemaphoreWaitToken(SemaphoreSlim semaphore, CancellationToken cancellationToken) =>
        Greenlet.Spawn(() => SemaphoreWaitToken(semaphore, cancellationToken));

    /// <summary>A greenlet whose value is <see cref="SemaphoreWaitMillisecondsToken"/>'s.</summary>
    public static Greenlet<bool> SpawnSemaphoreWaitMillisecondsToken(SemaphoreSlim semaphore, int millisecondsTimeout, CancellationToken cancellationToken) =>
        Greenlet.Spawn(() => SemaphoreWaitMillisecondsToken(semaphore, millisecondsTimeout, cancellationToken));

    /// <summary>A greenlet whose value is <see cref="SemaphoreWaitTimeSpanToken"/>'s.</summary>
    public static Greenlet<bool> SpawnSemaphoreWaitTimeSpanToken(SemaphoreSlim semaphore, TimeSpan timeout, CancellationToken cancellationToken) =>
        Greenlet.Spawn(() => SemaphoreWaitTimeSpanToken(semaphore, timeout, cancellationToken));

    /// <summary>A greenlet whose value is <see cref="EventWait"/>'s.</summary>
    public static Greenlet<bool> SpawnEventWait(ManualResetEventSlim @event) => Greenlet.Spawn(() => EventWait(@event));

    /// <summary>A greenlet whose value is <see cref="EventWaitMilliseconds"/>'.</summary>
    public static Greenlet<bool> SpawnEventWaitMilliseconds(ManualResetEventSlim @event, int millisecondsTimeout) =>
        Greenlet.Spawn(() => EventWaitMilliseconds(@event, millisecondsTimeout));

    /// <summary>A greenlet whose value is <see cref="EventWaitTimeSpan"/>'s.</summary>
    public static Greenlet<bool> SpawnEventWaitTimeSpan(ManualResetEventSlim @event, TimeSpan timeout) =>
        Greenlet.Spawn(() => EventWaitTimeSpan(@event, timeout));

    /// <summary>A greenlet whose value is <see cref="EventWaitToken"/>'s.</summary>
    public static Greenlet<bool> SpawnEventWaitToken(ManualResetEventSlim @event, CancellationToken cancellationToken) =>
        Greenlet.Spawn(() => EventWaitToken(@event, cancellationToken));

    /// <summary>A greenlet whose value is <see cref="EventWaitMillisecondsToken"/>'s.</summary>
    public static Greenlet<bool> SpawnEventWaitMillisecondsToken(ManualResetEventSlim @event, int millisecondsTimeout, CancellationToken cancellationToken) =>
        Greenlet.Spawn(() => EventWaitMillisecondsToken(@event, millisecondsTimeout, cancellationToken));

    /// <summary>A greenlet whose value is <see cref="EventWaitTimeSpanToken"/>'s.</summary>
    public static Greenlet<bool> SpawnEventWaitTimeSpanToken(ManualResetEventSlim @event, TimeSpan timeout, CancellationToken cancellationToken) =>
        Greenlet.Spawn(() => EventWaitTimeSpanToken(@event, timeout, cancellationToken));

    /// <summary>A greenlet bounded by a <see cref="GreenTimeout"/> that waits on <paramref name="semaphore"/>, logging how it ended and its finally block.</summary>
    public static Greenlet SpawnTimedSemaphoreWait(SemaphoreSlim semaphore, TimeSpan timeout, List<string> log) => Greenlet.Spawn(() =>
    {
        var bound = GreenTimeout.Start(timeout);
        try
        {
            LoggedSemaphoreWait(semaphore, log);
        }
        catch (GreenTimeoutException)
        {
            log.Add("timed out");
        }
        finally
        {
            bound.Cancel();
        }
    });

    /// <summary>A greenlet that waits on <paramref name="event"/>, logging how it ended and its finally block.</summary>
    public static Greenlet SpawnLoggedEventWait(ManualResetEventSlim @event, List<string> log) => Greenlet.Spawn(() => LoggedEventWait(@event, log));

    /// <summary>Waits on <paramref name="semaphore"/> with no timeout, logging "taken" and, however it ends, "finally".</summary>
    public static void LoggedSemaphoreWait(SemaphoreSlim semaphore, List<string> log)
    {
        try
        {
            semaphore.Wait();
            log.Add("taken");
        }
        finally
        {
            log.Add("finally");
        }
    }

    /// <summary>Waits on <paramref name="event"/> with no timeout, logging "set" and, however it ends, "finally".</summary>
    public static void LoggedEventWait(ManualResetEventSlim @event, List<string> log)
    {
        try
        {
            @event.Wait();
            log.Add("set");
        }
        finally
        {
            log.Add("finally");
        }
    }
}
