namespace Gevent.Patches;

/// <summary>
/// The HTTP replacements' one way of waiting for an async twin: park until it completes and return its result or
/// throw its exception as itself. Interrupted (a kill, a timeout) while the twin is in flight, the caller's
/// <c>stop</c> ends it; either way a failure that still comes is observed, so it is never reported as unobserved,
/// and a result that still comes is disposed when it holds a connection (a response).
/// </summary>
internal static class AsyncTwinWait
{
    /// <summary>Parks on <paramref name="pending"/>; interrupted, calls <paramref name="stop"/> if it is still running and forgets it.</summary>
    public static T Park<T>(Task<T> pending, Action stop, bool disposeLateResult)
    {
        try
        {
            return GreenTask.GetResult(pending);
        }
        catch
        {
            if (!pending.IsCompleted)
            {
                stop();
            }

            Forget(pending, disposeLateResult);
            throw;
        }
    }

    private static void Forget<T>(Task<T> task, bool disposeResult) => task.ContinueWith(
        static (done, disposeResult) =>
        {
            if (done.IsFaulted)
            {
                _ = done.Exception;
            }
            else if (done.IsCompletedSuccessfully && (bool)disposeResult! && done.Result is IDisposable result)
            {
                result.Dispose();
            }
        },
        disposeResult,
        CancellationToken.None,
        TaskContinuationOptions.ExecuteSynchronously,
        TaskScheduler.Default);
}
