namespace PlainWebApp;

/// <summary>What the endpoints report about where they ran.</summary>
internal static class Where
{
    /// <summary>The synchronization context's type name, or "none".</summary>
    public static string Context() => SynchronizationContext.Current?.GetType().Name ?? "none";
}

/// <summary>A request id that flows with the request's ExecutionContext, as logging scopes and tracing do.</summary>
internal static class RequestId
{
    private static readonly AsyncLocal<string?> s_current = new();

    /// <summary>This request's id.</summary>
    public static string? Value
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }
}

/// <summary>Long sleeps that a client may abort, and how many are still running.</summary>
internal sealed class AbortCounter
{
    private int _running;

    /// <summary>Sleeps still running: under Gevent an aborted request's sleep ends at once, so its count drops.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Sleeps <paramref name="ms"/> ms and counts itself running meanwhile.</summary>
    public string Sleep(int ms)
    {
        Interlocked.Increment(ref _running);
        try
        {
            Thread.Sleep(ms);
            return "slept";
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
