using System.Collections;
using System.Runtime.ExceptionServices;

namespace Gevent;

/// <summary>
/// The lazy sequence behind <c>Group.IMap</c> and <c>Group.IMapUnordered</c>: each
/// enumeration spawns a feeder greenlet that spawns one member per item (waiting for room in a pool
/// and, with a bound, for the consumer), while the consumer takes results as members finish.
/// </summary>
internal sealed class PoolMap<T, TResult>(Group group, IEnumerable<T> items, Func<T, TResult> func, bool ordered, int maxSize) : IEnumerable<TResult>
{
    private readonly Group _group = group;
    private readonly bool _ordered = ordered;
    private readonly IEnumerable<T> _items = items ?? throw new ArgumentNullException(nameof(items));
    private readonly Func<T, TResult> _func = func ?? throw new ArgumentNullException(nameof(func));
    private readonly int _maxSize = maxSize >= 0 ? maxSize : throw new ArgumentOutOfRangeException(nameof(maxSize), maxSize, "The bound must be zero (none) or positive.");

    public IEnumerator<TResult> GetEnumerator() => new Enumerator(this, Hub.Current);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Enumerator : IEnumerator<TResult>
    {
        private readonly PoolMap<T, TResult> _map;
        private readonly Hub _hub;
        private readonly Dictionary<int, Greenlet<TResult>> _finished = [];
        private readonly Queue<int> _completionOrder = new();
        private readonly WaiterQueue<bool> _consumer;
        private readonly WaiterQueue<bool> _feederWaits;
        private Greenlet? _feeder;
        private int _spawned;
        private int _consumed;
        private bool _allSpawned;
        private Exception? _feedFailure;

        public Enumerator(PoolMap<T, TResult> map, Hub hub)
        {
            _map = map;
            _hub = hub;
            _consumer = new WaiterQueue<bool>(hub);
            _feederWaits = new WaiterQueue<bool>(hub);
        }

        public TResult Current { get; private set; } = default!;

        object? IEnumerator.Current => Current;

        public bool MoveNext()
        {
            _hub.VerifyAccess(_map._group);
            _feeder ??= Greenlet.Spawn(Feed);
            while (true)
            {
                if (TryTakeNext(out var done))
                {
                    _consumed++;
                    _feederWaits.HandOffAll(true);

                    // Thrown at its position; the next MoveNext carries on with the following result.
                    if (done.Exception is { } failure)
                    {
                        ExceptionDispatchInfo.Throw(failure);
                    }

                    Current = done.Value!;
                    return true;
                }

                if (_allSpawned && _consumed == _spawned)
                {
                    if (_feedFailure is { } failure)
                    {
                        _feedFailure = null;
                        ExceptionDispatchInfo.Throw(failure);
                    }

                    return false;
                }

                _consumer.Wait(_map._ordered ? "Group.IMap()" : "Group.IMapUnordered()", null, out _);
            }
        }

        public void Reset() => throw new NotSupportedException("A pool map cannot be restarted; enumerate it again instead.");

        public void Dispose()
        {
            if (_feeder is { Dead: false } feeder)
            {
                feeder.Kill(block: false);
            }
        }

        private bool TryTakeNext(out Greenlet<TResult> done)
        {
            if (_map._ordered)
            {
                return _finished.Remove(_consumed, out done!);
            }

            if (_completionOrder.TryDequeue(out var index))
            {
                return _finished.Remove(index, out done!);
            }

            done = null!;
            return false;
        }

        private void Feed()
        {
            try
            {
                foreach (var item in _map._items)
                {
                    while (_map._maxSize > 0 && _spawned - _consumed >= _map._maxSize)
                    {
                        _feederWaits.Wait("Group.IMap() waiting for the consumer", null, out _);
                    }

                    var index = _spawned++;
                    var worker = _map._group.Spawn(() => _map._func(item));
                    worker.AddRawLink((g, _) => Finished(index, (Greenlet<TResult>)g), null);
                }
            }
            catch (Exception e) when (e is not GreenletExit)
            {
                _feedFailure = e;
            }
            finally
            {
                _allSpawned = true;
                _consumer.HandOffAll(true);
            }
        }

        private void Finished(int index, Greenlet<TResult> worker)
        {
            _finished.Add(index, worker);
            if (!_map._ordered)
            {
                _completionOrder.Enqueue(index);
            }

            _consumer.HandOffAll(true);
        }
    }
}
