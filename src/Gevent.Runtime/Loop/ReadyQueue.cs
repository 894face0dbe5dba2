namespace Gevent.Loop;

/// <summary>
/// What the hub runs next, in FIFO order: greenlets to switch to and callbacks to call. A ring
/// buffer of structs, so scheduling allocates nothing in the steady state.
/// </summary>
internal sealed class ReadyQueue
{
    private Entry[] _items = new Entry[256];
    private int _head;

    public int Count { get; private set; }

    public void Enqueue(in Entry entry)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        _items[(_head + Count) & (_items.Length - 1)] = entry;
        Count++;
    }

    public Entry Dequeue()
    {
        ref var slot = ref _items[_head];
        var entry = slot;
        slot = default;
        _head = (_head + 1) & (_items.Length - 1);
        Count--;
        return entry;
    }

    private void Grow()
    {
        var larger = new Entry[_items.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            larger[i] = _items[(_head + i) & (_items.Length - 1)];
        }

        _items = larger;
        _head = 0;
    }

    /// <summary>Either a greenlet to switch to, or a callback with its state.</summary>
    internal readonly record struct Entry(Greenlet? Greenlet, Action<object?>? Callback, object? State);
}
