namespace Gevent;

/// <summary>
/// A <see cref="Group"/> of at most <see cref="Size"/> greenlets (gevent's <c>pool.Pool</c>): spawning
/// into a full pool waits for a member to die, first come first served. <c>Pool(0)</c> is always full.
/// </summary>
public sealed class Pool : Group
{
    private readonly GreenSemaphore _slots;

    /// <summary>Creates a pool of the current hub with room for <paramref name="size"/> greenlets.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is negative.</exception>
    public Pool(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        Size = size;
        _slots = new GreenSemaphore(size);
    }

    /// <summary>The most members the pool holds at once.</summary>
    public int Size { get; }

    /// <summary>How many more greenlets could be added without waiting.</summary>
    public int FreeCount => _slots.Count;

    /// <inheritdoc />
    public override bool IsFull => _slots.Locked;

    /// <summary>
    /// Waits until the pool has room or <paramref name="timeout"/> passes, without taking it; returns
    /// <see cref="FreeCount"/> (0 on timeout).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public int WaitAvailable(TimeSpan? timeout = null)
    {
        if (_slots.Acquire(timeout))
        {
            _slots.Release();
        }

        return FreeCount;
    }

    private protected override void ReserveSlot(bool blocking, TimeSpan? timeout)
    {
        if (!_slots.Acquire(blocking ? timeout : TimeSpan.Zero))
        {
            throw new PoolFullException(blocking
                ? $"The pool (size {Size}) stayed full until the timeout."
                : $"The pool (size {Size}) is full and the add was not allowed to wait.");
        }
    }

    private protected override void FreeSlot() => _slots.Release();
}
