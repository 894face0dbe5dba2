namespace Gevent;

/// <summary>
/// A <see cref="GreenQueue{T}"/> that returns the item of lowest priority first (gevent's
/// <c>PriorityQueue</c>). Each item's priority comes from a selector, so an item such as
/// <c>(int Priority, string Job)</c> carries its own, as in gevent. Equal priorities come out in no set order.
/// </summary>
/// <typeparam name="T">The type of the items.</typeparam>
/// <typeparam name="TPriority">The type of the priorities.</typeparam>
public sealed class GreenPriorityQueue<T, TPriority> : GreenQueue<T>
{
    /// <summary>
    /// Creates a priority queue holding at most <paramref name="maxSize"/> items (0: unbounded), ordering
    /// items by <paramref name="priorityOf"/> with <paramref name="comparer"/> (default: the natural order).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    public GreenPriorityQueue(Func<T, TPriority> priorityOf, int maxSize = 0, IComparer<TPriority>? comparer = null)
        : base(maxSize, new PriorityStore<T, TPriority>(priorityOf ?? throw new ArgumentNullException(nameof(priorityOf)), comparer))
    {
    }
}
