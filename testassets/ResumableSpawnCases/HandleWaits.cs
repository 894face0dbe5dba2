using Gevent;

namespace ResumableSpawnCases;

/// <summary>
/// <see cref="WaitHandle"/> waits in blocking style: <c>WaitOne</c> and <c>WaitAny</c>, which the weaver rewrites to
/// the runtime's patches. Woven with resumable frames, its greenlets wait on events and semaphores without a thread (a
/// mutex pins); unwoven, on plain threads, it is ordinary blocking code.
/// </summary>
public static class HandleWaits
{
    /// <summary><see cref="WaitHandle.WaitOne()"/> of <paramref name="handles"/>' first.</summary>
    public static bool WaitOne(WaitHandle[] handles) => handles[0].WaitOne();

    /// <summary><see cref="WaitHandle.WaitOne(int)"/> of <paramref name="handles"/>' first.</summary>
    public static bool WaitOneMilliseconds(WaitHandle[] handles, int millisecondsTimeout) => handles[0].WaitOne(millisecondsTimeout);

    /// <summary><see cref="WaitHandle.WaitOne(TimeSpan)"/> of <paramref name="handles"/>' first.</summary>
    public static bool WaitOneTimeSpan(WaitHandle[] handles, TimeSpan timeout) => handles[0].WaitOne(timeout);

    /// <summary><see cref="WaitHandle.WaitAny(WaitHandle[])"/>.</summary>
    public static int WaitAny(WaitHandle[] handles) => WaitHandle.WaitAny(handles);

    /// <summary><see cref="WaitHandle.WaitAny(WaitHandle[], int)"/>.</summary>
    public static int WaitAnyMilliseconds(WaitHandle[] handles, int millisecondsTimeout) => WaitHandle.WaitAny(handles, millisecondsTimeout);

    /// <summary><see cref="WaitHandle.WaitAny(WaitHandle[], TimeSpan)"/>.</summary>
    public static int WaitAnyTimeSpan(WaitHandle[] handles, TimeSpan timeout) => WaitHandle.WaitAny(handles, timeout);

    /// <summary>A greenlet whose value is <see cref="WaitOne"/>'s.</summary>
    public static Greenlet<bool> SpawnWaitOne(WaitHandle[] handles) => Greenlet.Spawn(() => WaitOne(handles));

    /// <summary>A greenlet whose value is <see cref="WaitOneMilliseconds"/>'.</summary>
    public static Greenlet<bool> SpawnWaitOneMilliseconds(WaitHandle[] handles, int millisecondsTimeout) =>
        Greenlet.Spawn(() => WaitOneMilliseconds(handles, millisecondsTimeout));

    /// <summary>A greenlet whose value is <see cref="WaitOneTimeSpan"/>'s.</summary>
    public static Greenlet<bool> SpawnWaitOneTimeSpan(WaitHandle[] handles, TimeSpan timeout) => Greenlet.Spawn(() => WaitOneTimeSpan(handles, timeout));

    /// <summary>A greenlet whose value is <see cref="WaitAny"/>'s.</summary>
    public static Greenlet<int> SpawnWaitAny(WaitHandle[] handles) => Greenlet.Spawn(() => WaitAny(handles));

    /// <summary>A greenlet whose value is <see cref="WaitAnyMilliseconds"/>'.</summary>
    public static Greenlet<int> SpawnWaitAnyMilliseconds(WaitHandle[] handles, int millisecondsTimeout) =>
        Greenlet.Spawn(() => WaitAnyMilliseconds(handles, millisecondsTimeout));

    /// <summary>A greenlet whose value is <see cref="WaitAnyTimeSpan"/>'s.</summary>
    public static Greenlet<int> SpawnWaitAnyTimeSpan(WaitHandle[] handles, TimeSpan timeout) => Greenlet.Spawn(() => WaitAnyTimeSpan(handles, timeout));

    /// <summary>A greenlet that waits for <paramref name="handle"/>, logging how it ended and its finally block.</summary>
    public static Greenlet SpawnLoggedWait(WaitHandle handle, List<string> log) => Greenlet.Spawn(() => LoggedWait(handle, log));

    /// <summary>A greenlet whose <see cref="LoggedWait"/> is bounded by a <see cref="GreenTimeout"/>.</summary>
    public static Greenlet SpawnTimedWait(WaitHandle handle, TimeSpan timeout, List<string> log) => Greenlet.Spawn(() =>
    {
        var bound = GreenTimeout.Start(timeout);
        try
        {
            LoggedWait(handle, log);
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

    /// <summary>A greenlet whose value is <see cref="WaitAndRelease"/> of <paramref name="mutex"/>.</summary>
    public static Greenlet<bool> SpawnMutexWait(Mutex mutex, int millisecondsTimeout) => Greenlet.Spawn(() => WaitAndRelease(mutex, millisecondsTimeout));

    /// <summary>Waits for <paramref name="handle"/> with no timeout, logging "signalled" and, however it ends, "finally".</summary>
    public static void LoggedWait(WaitHandle handle, List<string> log)
    {
        try
        {
            handle.WaitOne();
            log.Add("signalled");
        }
        finally
        {
            log.Add("finally");
        }
    }

    /// <summary>A greenlet whose value is <see cref="HoldAcrossSleep"/>'s.</summary>
    public static Greenlet<bool> SpawnHoldAcrossSleep(Mutex mutex, int milliseconds) => Greenlet.Spawn(() => HoldAcrossSleep(mutex, milliseconds));

    /// <summary>A greenlet whose value is <see cref="NestedHolds"/>'.</summary>
    public static Greenlet<int> SpawnNestedHolds(WaitHandle[] handles, int milliseconds) => Greenlet.Spawn(() => NestedHolds(handles, milliseconds));

    /// <summary>
    /// Takes <paramref name="mutex"/> (taken from a thread that ended holding it, it throws and is held all the same),
    /// sleeps holding it, a wait woven code suspends at, then releases it, which only the thread that took it may do.
    /// </summary>
    public static bool HoldAcrossSleep(Mutex mutex, int milliseconds)
    {
        bool taken;
        try
        {
            taken = mutex.WaitOne();
        }
        catch (AbandonedMutexException)
        {
            taken = true;
        }

        Thread.Sleep(milliseconds);
        mutex.ReleaseMutex();
        return taken;
    }

    /// <summary>
    /// Takes the mutex of <paramref name="handles"/> through <see cref="WaitHandle.WaitAny(WaitHandle[])"/>, then again
    /// through <see cref="WaitHandle.WaitOne()"/>, sleeping after each take and each release; returns the index
    /// <c>WaitAny</c> answered.
    /// </summary>
    public static int NestedHolds(WaitHandle[] handles, int milliseconds)
    {
        var index = WaitHandle.WaitAny(handles);
        var mutex = (Mutex)handles[index];
        Thread.Sleep(milliseconds);
        mutex.WaitOne();
        Thread.Sleep(milliseconds);
        mutex.ReleaseMutex();
        Thread.Sleep(milliseconds);
        mutex.ReleaseMutex();
        Thread.Sleep(milliseconds);
        return index;
    }

    /// <summary>Takes <paramref name="mutex"/> and releases it at once (on the thread that took it); returns whether it was taken.</summary>
    public static bool WaitAndRelease(Mutex mutex, int millisecondsTimeout)
    {
        var taken = mutex.WaitOne(millisecondsTimeout);
        if (taken)
        {
            mutex.ReleaseMutex();
        }

        return taken;
    }
}
