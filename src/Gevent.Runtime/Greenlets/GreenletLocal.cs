using System.Runtime.CompilerServices;

namespace Gevent;

/// <summary>
/// A value per greenlet (gevent's <c>local</c>): each greenlet reading <see cref="Value"/> sees its
/// own. A greenlet's value is released when the greenlet dies; a hub's main greenlet keeps its value
/// while it is alive. Safe to share between hubs.
/// </summary>
/// <typeparam name="T">The type of the value.</typeparam>
public sealed class GreenletLocal<T>
{
    private static readonly Action<Greenlet, object?> s_releaseValue = static (greenlet, state) => ((GreenletLocal<T>)state!)._values.Remove(greenlet);

    // Weak keys: a greenlet that never dies (a main greenlet) still does not pin its value past its own life.
    private readonly ConditionalWeakTable<Greenlet, Slot> _values = new();
    private readonly Func<T>? _factory;

    /// <summary>
    /// Creates a local whose first read in each greenlet gives <paramref name="factory"/>'s result
    /// (kept for that greenlet), or default when there is no factory.
    /// </summary>
    public GreenletLocal(Func<T>? factory = null)
    {
        _factory = factory;
    }

    /// <summary>The current greenlet's value.</summary>
    public T Value
    {
        get
        {
            var current = Greenlet.Current;
            if (_values.TryGetValue(current, out var slot))
            {
                return slot.Value;
            }

            return _factory is null ? default! : Store(current, _factory()).Value;
        }

        set
        {
            var current = Greenlet.Current;
            if (_values.TryGetValue(current, out var slot))
            {
                slot.Value = value;
            }
            else
            {
                Store(current, value);
            }
        }
    }

    /// <summary>True once the current greenlet has a value (set, or made by the factory).</summary>
    public bool IsValueCreated => _values.TryGetValue(Greenlet.Current, out _);

    private Slot Store(Greenlet greenlet, T value)
    {
        var slot = new Slot(value);
        _values.Add(greenlet, slot);
        greenlet.AddRawLink(s_releaseValue, this);
        return slot;
    }

    private sealed class Slot(T value)
    {
        public T Value { get; set; } = value;
    }
}
