namespace Gevent.Patches;

/// <summary>
/// Greenlets of any hub waiting on an object (a monitor, a <see cref="Lock"/>, a slim event), keyed by reference,
/// process-wide: the thread that releases, pulses or sets may belong to another hub or to no hub at all.
/// </summary>
internal sealed class WaiterTable
{
    private readonly Dictionary<object, List<Waiter>> _waiters = new(ReferenceEqualityComparer.Instance);
    private int _count;

    /// <summary>True if anyone waits anywhere: lets the release fast path skip the table's lock.</summary>
    public bool IsEmpty => Volatile.Read(ref _count) == 0;

    // Keys are generic so that a Lock is never seen converted to object at a call site (CS9216):
    // here it is only a dictionary key, never a monitor.
    public void Add<TKey>(TKey key, Waiter waiter)
        where TKey : class
    {
        lock (_waiters)
        {
            if (!_waiters.TryGetValue(key, out var list))
            {
                _waiters[key] = list = [];
            }

            list.Add(waiter);
            _count++;
        }
    }

    public void Remove<TKey>(TKey key, Waiter waiter)
        where TKey : class
    {
        lock (_waiters)
        {
            if (_waiters.TryGetValue(key, out var list) && list.Remove(waiter))
            {
                _count--;
                if (list.Count == 0)
                {
                    _waiters.Remove(key);
                }
            }
        }
    }

    /// <summary>Signals and removes the longest waiter for <paramref name="key"/>; false if there is none.</summary>
    public bool SignalOne<TKey>(TKey key)
        where TKey : class => Signal(key, all: false);

    /// <summary>Signals and removes every waiter for <paramref name="key"/>.</summary>
    public void SignalAll<TKey>(TKey key)
        where TKey : class => Signal(key, all: true);

    private bool Signal(object key, bool all)
    {
        if (IsEmpty)
        {
            return false;
        }

        List<Waiter> signalled;
        lock (_waiters)
        {
            if (!_waiters.TryGetValue(key, out var list))
            {
                return false;
            }

            var take = all ? list.Count : 1;
            signalled = list.GetRange(0, take);
            list.RemoveRange(0, take);
            _count -= take;
            if (list.Count == 0)
            {
                _waiters.Remove(key);
            }
        }

        foreach (var waiter in signalled)
        {
            waiter.Signal();
        }

        return true;
    }

    /// <summary>One parked greenlet; signalling it wakes it from whatever thread signals.</summary>
    internal abstract class Waiter
    {
        private int _signalled;

        public bool Signalled => Volatile.Read(ref _signalled) != 0;

        public void Signal()
        {
            Volatile.Write(ref _signalled, 1);
            Wake();
        }

        protected abstract void Wake();
    }

    /// <summary>A greenlet parked on the hub under its <see cref="WakeToken"/>.</summary>
    internal sealed class GreenletWaiter(WakeToken token) : Waiter
    {
        protected override void Wake()
        {
            var hub = token.Greenlet.Hub;
            if (Hub.CurrentGreenletOrNull?.Hub == hub)
            {
                hub.Wake(token);
            }
            else
            {
                hub.Loop.PostThreadSafe(WakeToken.WakeCallback, token);
            }
        }
    }
}
