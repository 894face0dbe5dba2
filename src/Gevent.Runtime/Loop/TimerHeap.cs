namespace Gevent.Loop;

/// <summary>
/// A binary min-heap of timers by due time, then start order (so equal deadlines fire FIFO). Each
/// timer knows its index, so cancelling — the common fate of a timeout — is O(log n), not a scan.
/// </summary>
internal sealed class TimerHeap
{
    private LoopTimer[] _items = new LoopTimer[64];
    private long _sequence;

    public int Count { get; private set; }

    public LoopTimer? Peek() => Count == 0 ? null : _items[0];

    public void Add(LoopTimer timer)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, Count * 2);
        }

        timer.Sequence = _sequence++;
        _items[Count] = timer;
        timer.HeapIndex = Count;
        Count++;
        SiftUp(timer.HeapIndex);
    }

    public void Remove(LoopTimer timer)
    {
        var index = timer.HeapIndex;
        timer.HeapIndex = -1;
        Count--;
        if (index == Count)
        {
            _items[Count] = null!;
            return;
        }

        _items[index] = _items[Count];
        _items[index].HeapIndex = index;
        _items[Count] = null!;
        SiftDown(index);
        SiftUp(index);
    }

    private static bool Before(LoopTimer a, LoopTimer b) =>
        a.Due < b.Due || (a.Due == b.Due && a.Sequence < b.Sequence);

    private void SiftUp(int index)
    {
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (!Before(_items[index], _items[parent]))
            {
                return;
            }

            Swap(index, parent);
            index = parent;
        }
    }

    private void SiftDown(int index)
    {
        while (true)
        {
            var smallest = index;
            var left = (2 * index) + 1;
            var right = left + 1;
            if (left < Count && Before(_items[left], _items[smallest]))
            {
                smallest = left;
            }

            if (right < Count && Before(_items[right], _items[smallest]))
            {
                smallest = right;
            }

            if (smallest == index)
            {
                return;
            }

            Swap(index, smallest);
            index = smallest;
        }
    }

    private void Swap(int a, int b)
    {
        (_items[a], _items[b]) = (_items[b], _items[a]);
        _items[a].HeapIndex = a;
        _items[b].HeapIndex = b;
    }
}
