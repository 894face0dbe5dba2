using System.Diagnostics;

namespace Gevent.AspNetCore.Scheduling;

/// <summary>
/// One hub of a <see cref="HubGroup"/> running request code in greenlets, each tracked by its request, so that an
/// aborted request can kill its own; the group's disposal kills whatever is left.
/// </summary>
/// <param name="hub">A hub of the group the server's requests run on.</param>
internal sealed class RequestHub(Hub hub)
{
    private static readonly TimeSpan s_abortRetryInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long an aborted request's socket I/O is left to end by itself before it is killed anyway: long enough for a
    /// query or a call under way to finish and keep its connection, short enough that a peer that never answers does
    /// not hold the request's greenlet for good.
    /// </summary>
    internal static TimeSpan SocketWaitGrace { get; } = TimeSpan.FromSeconds(10);

    private volatile bool _stopping;

    public Hub Hub => hub;

    /// <summary>
    /// From any thread, runs <paramref name="work"/> in a new greenlet of this hub for <paramref name="request"/>.
    /// Once the hub is stopping, or if the greenlet cannot be spawned, the work runs on the thread pool
    /// instead: a continuation must run somewhere, or the request it belongs to never completes.
    /// </summary>
    public void Spawn(RequestGreenlets request, SendOrPostCallback work, object? state)
    {
        var posted = !_stopping && TryPost(() =>
        {
            // A post accepted just before the hub's disposal runs while it closes: a greenlet spawned then is killed
            // before its first run, so the work would never run and its request never complete.
            if (!Hub.IsOpen)
            {
                RunOnThreadPool(request, work, state);
                return;
            }

            try
            {
                Greenlet.Spawn(() => RunTracked(request, work, state));
            }
            catch (GreenletLimitExceededException)
            {
                RunOnThreadPool(request, work, state);
            }
        });
        if (!posted)
        {
            RunOnThreadPool(request, work, state);
        }
    }

    /// <summary>
    /// From any thread: kills, at their blocking points, the greenlets of <paramref name="request"/> still running,
    /// except while one waits for a <see cref="Task"/> (<c>.Result</c>, <c>.Wait()</c>, <c>GetResult()</c>) or for
    /// socket I/O. A task keeps running once its wait is abandoned, and what it produces is lost: Npgsql's synchronous
    /// <c>Open</c> waits so for a pooled connection, and a kill there lost the connection for good. A library takes an
    /// exception in its socket I/O as a broken connection: Npgsql takes the kill's <see cref="OperationCanceledException"/>
    /// for its read timeout and clears its whole pool. Such a greenlet is killed at its first other wait (a sleep, a
    /// lock, a queue), looked for every <see cref="s_abortRetryInterval"/> until none of the request's greenlets waits
    /// for a task or a socket; as on Kestrel without Gevent, a request whose I/O ends runs to its end. One still in
    /// socket I/O after <see cref="SocketWaitGrace"/> is killed there.
    /// </summary>
    public void Abort(RequestGreenlets request, Exception exception)
    {
        var abortedAt = Stopwatch.GetTimestamp();
        TryPost(() => AbortParked(request, exception, abortedAt));
    }

    /// <summary>From now on, work goes to the thread pool: the hub is about to be disposed with its group.</summary>
    public void Stop() => _stopping = true;

    /// <summary>Posts to the hub unless it is disposed already; its disposal killed whatever was left then.</summary>
    private bool TryPost(Action callback)
    {
        try
        {
            Hub.Loop.RunCallbackThreadSafe(callback);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private void AbortParked(RequestGreenlets request, Exception exception, long abortedAt)
    {
        if (!Hub.IsOpen)
        {
            return;
        }

        var deferred = false;
        foreach (var greenlet in request.Live.ToArray())
        {
            if (greenlet.WaitingOn == GreenTask.WaitingOnTask
                || (Hub.IsSocketWait(greenlet.WaitingOn) && Stopwatch.GetElapsedTime(abortedAt) < SocketWaitGrace))
            {
                deferred = true;
            }
            else if (greenlet.StandingKill is null)
            {
                greenlet.Kill(exception, block: false);
            }
        }

        if (deferred)
        {
            Hub.Loop.StartTimer(s_abortRetryInterval, () => AbortParked(request, exception, abortedAt));
        }
    }

    private static void RunOnThreadPool(RequestGreenlets request, SendOrPostCallback work, object? state) =>
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.request.Run(s.work, s.state), (request, work, state), preferLocal: false);

    private void RunTracked(RequestGreenlets request, SendOrPostCallback work, object? state)
    {
        var current = Greenlet.Current;
        request.Live.Add(current);
        try
        {
            request.Run(work, state);
        }
        finally
        {
            request.Live.Remove(current);
        }
    }
}
