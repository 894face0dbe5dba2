namespace Gevent;

/// <summary>
/// A <see cref="GreenSemaphore"/> that refuses to be released more often than it was acquired
/// (gevent's <c>BoundedSemaphore</c>), which catches a double release.
/// </summary>
public sealed class GreenBoundedSemaphore : GreenSemaphore
{
    private readonly int _bound;

    /// <summary>Creates a bounded semaphore with <paramref name="initialCount"/> permits, which is also the most it can hold.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCount"/> is negative.</exception>
    public GreenBoundedSemaphore(int initialCount = 1)
        : base(initialCount)
    {
        _bound = initialCount;
    }

    /// <summary>Gives a permit back.</summary>
    /// <exception cref="SemaphoreFullException">Every permit is already free: released more often than acquired.</exception>
    public override void Release()
    {
        if (Count >= _bound)
        {
            throw new SemaphoreFullException($"GreenBoundedSemaphore released too many times: all {_bound} permits are already free.");
        }

        base.Release();
    }
}
