namespace Gevent.Loop;

/// <summary>
/// A 4-ary min-heap of timers by due time, then start order (so equal deadlines fire FIFO). Each timer knows its
/// index, so cancelling — the common fate of a timeout — is O(log n), not a scan. The heap keeps each timer's
/// keys beside it and is 4-ary, as libev's is: a sift compares keys read from one array, without loading the
/// timers, and a heap of a million timers is ten levels deep instead of twenty (docs/execution-tiers.md, "Scale").
/// </summary>
internal sealed class TimerHeap
{
    private const int Arity = 4;

    private Node[] _items = new Node[64];
    private long _sequence;

    public int Count { get; private set; }

    public LoopTimer? Peek() => Count == 0 ? null : _items[0].Timer;

    public void Add(LoopTimer timer)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, Count * 2);
        }

        Count++;
        SiftUp(Count - 1, new Node(timer, _sequence++));
    }

    public void Remove(LoopTimer timer)
    {
        var index = timer.HeapIndex;
        timer.HeapIndex = -1;
        Count--;
        var last = _items[Count];
        _items[Count] = default;
        if (index == Count)
        {
            return;
        }

        // The last node fills the hole: it moves up if it is due before the hole's parent, else down.
        if (index > 0 && last.IsBefore(_items[(index - 1) / Arity]))
        {
            SiftUp(index, last);
        }
        else
        {
            SiftDown(index, last);
        }
    }

    /// <summary>Places <paramref name="node"/> at the hole <paramref name="index"/> or above it, moving later parents down.</summary>
    private void SiftUp(int index, Node node)
    {
        while (index > 0)
        {
            var parent = (index - 1) / Arity;
            if (!node.IsBefore(_items[parent]))
            {
                break;
            }

            Place(index, _items[parent]);
            index = parent;
        }

        Place(index, node);
    }

    /// <summary>Places <paramref name="node"/> at the hole <paramref name="index"/> or below it, moving earlier children up.</summary>
    private void SiftDown(int index, Node node)
    {
        while (true)
        {
            var first = (index * Arity) + 1;
            if (first >= Count)
            {
                break;
            }

            var end = Math.Min(first + Arity, Count);
            var earliest = first;
            for (var child = first + 1; child < end; child++)
            {
                if (_items[child].IsBefore(_items[earliest]))
                {
                    earliest = child;
                }
            }

            if (!_items[earliest].IsBefore(node))
            {
                break;
            }

            Place(index, _items[earliest]);
            index = earliest;
        }

        Place(index, node);
    }

    private void Place(int index, Node node)
    {
        _items[index] = node;
        node.Timer.HeapIndex = index;
    }

    /// <summary>A timer with its keys: its due time and its start order among timers due at the same tick.</summary>
    private readonly struct Node(LoopTimer timer, long sequence)
    {
        public LoopTimer Timer { get; } = timer;

        private long Due { get; } = timer.Due;

        private long Sequence { get; } = sequence;

        public bool IsBefore(Node other) => Due < other.Due || (Due == other.Due && Sequence < other.Sequence);
    }
}
