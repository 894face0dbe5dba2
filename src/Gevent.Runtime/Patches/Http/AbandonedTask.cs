namespace Gevent.Patches;

/// <summary>
/// What a replacement does with the async twin it stopped waiting for (a kill, a timeout): a failure that still
/// comes is observed, so it is never reported as unobserved; a result that still comes is disposed when it
/// holds a connection (a response), otherwise dropped.
/// </summary>
internal static class AbandonedTask
{
    /// <summary>Forgets <paramref name="task"/>; <paramref name="disposeResult"/>: dispose a result that arrives after all.</summary>
    public static void Forget<T>(Task<T> task, bool disposeResult) => task.ContinueWith(
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
