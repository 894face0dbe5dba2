namespace BlockingWebHandlers;

/// <summary>Reports when a blocking handler started and how it ended: what interrupted it, if anything.</summary>
public static class AbortProbe
{
    private static TaskCompletionSource<string> s_started = NewSource();
    private static TaskCompletionSource<string> s_ended = NewSource();

    /// <summary>Completes when the observed handler starts: its request is then in flight on the server.</summary>
    public static Task Started => Volatile.Read(ref s_started).Task;

    /// <summary>Completes with the name of the exception that ended the observed handler, or "completed".</summary>
    public static Task<string> Ended => Volatile.Read(ref s_ended).Task;

    /// <summary>Starts observing afresh.</summary>
    public static void Reset()
    {
        Volatile.Write(ref s_started, NewSource());
        Volatile.Write(ref s_ended, NewSource());
    }

    /// <summary>Runs <paramref name="body"/> and reports how it ended.</summary>
    public static string Observe(Action body)
    {
        Volatile.Read(ref s_started).TrySetResult("started");
        try
        {
            body();
            Volatile.Read(ref s_ended).TrySetResult("completed");
            return "completed";
        }
        catch (Exception e)
        {
            Volatile.Read(ref s_ended).TrySetResult(e.GetType().Name);
            throw;
        }
    }

    private static TaskCompletionSource<string> NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
