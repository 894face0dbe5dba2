namespace Gevent;

/// <summary>
/// A held <see cref="GreenLock"/> or <see cref="GreenSemaphore"/>; disposing it releases the hold.
/// Returned by their <c>Lock()</c> for <c>using (l.Lock()) { … }</c>.
/// </summary>
public readonly struct GreenLockScope : IDisposable
{
    private readonly IGreenReleasable? _held;

    internal GreenLockScope(IGreenReleasable held)
    {
        _held = held;
    }

    /// <summary>Releases the hold (nothing for a default instance).</summary>
    public void Dispose() => _held?.Release();
}
