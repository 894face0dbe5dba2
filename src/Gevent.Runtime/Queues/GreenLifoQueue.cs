namespace Gevent;

/// <summary>A <see cref="GreenQueue{T}"/> that returns the most recently added item first (gevent's <c>LifoQueue</c>).</summary>
/// <typeparam name="T">The type of the items.</typeparam>
public sealed class GreenLifoQueue<T> : GreenQueue<T>
{
    /// <summary>Creates a LIFO queue holding at most <paramref name="maxSize"/> items (0: unbounded).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    public GreenLifoQueue(int maxSize = 0)
        : base(maxSize, new LifoStore<T>())
    {
    }
}
