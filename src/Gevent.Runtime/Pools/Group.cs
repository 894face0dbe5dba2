using System.Collections;
using System.Runtime.ExceptionServices;

namespace Gevent;

/// <summary>
/// A set of greenlets managed together (gevent's <c>pool.Group</c>): members leave by themselves when
/// they die; the group can be joined, killed, and map work over its members. Unbounded; see
/// <see cref="Pool"/> for a bounded one.
/// </summary>
public class Group : IReadOnlyCollection<Greenlet>
{
    private static readonly Action<Greenlet, object?> s_memberDied = static (greenlet, state) => ((Group)state!).Discard(greenlet);

    private readonly Dictionary<Greenlet, GreenletLink> _members = [];
    private readonly GreenEvent _empty;

    /// <summary>Creates an empty group of the current hub.</summary>
    public Group()
    {
        Hub = Hub.Current;
        _empty = new GreenEvent();
        _empty.Set();
    }

    /// <summary>The members now.</summary>
    public int Count => _members.Count;

    /// <summary>True when <see cref="Add"/> would wait for room; never for a plain group.</summary>
    public virtual bool IsFull => false;

    /// <summary>The hub whose greenlets this group holds.</summary>
    private Hub Hub { get; }

    /// <summary>True if <paramref name="greenlet"/> is a member.</summary>
    public bool Contains(Greenlet greenlet) => _members.ContainsKey(greenlet);

    /// <summary>
    /// Adds <paramref name="greenlet"/> (started or not); it leaves the group when it dies. A bounded
    /// group waits up to <paramref name="timeout"/> for room when <paramref name="blocking"/>.
    /// </summary>
    /// <exception cref="PoolFullException">A <see cref="Pool"/> had no room in time (or at once, when not blocking).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public void Add(Greenlet greenlet, bool blocking = true, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(greenlet);
        Durations.IsBounded(timeout, nameof(timeout));
        Hub.VerifyAccess(this);
        Hub.VerifyAccess(greenlet);
        if (_members.ContainsKey(greenlet))
        {
            return;
        }

        ReserveSlot(blocking, timeout);
        _members.Add(greenlet, greenlet.AddRawLink(s_memberDied, this));
        _empty.Clear();
    }

    /// <summary>Removes <paramref name="greenlet"/> from the group (freeing its slot) without touching it.</summary>
    public void Discard(Greenlet greenlet)
    {
        ArgumentNullException.ThrowIfNull(greenlet);
        Hub.VerifyAccess(this);
        if (!_members.Remove(greenlet, out var link))
        {
            return;
        }

        greenlet.RemoveLink(link);
        FreeSlot();
        if (_members.Count == 0)
        {
            _empty.Set();
        }
    }

    /// <summary>Adds <paramref name="greenlet"/> (waiting for room in a pool) and starts it.</summary>
    public void Start(Greenlet greenlet)
    {
        Add(greenlet);
        try
        {
            greenlet.Start();
        }
        catch
        {
            Discard(greenlet);
            throw;
        }
    }

    /// <summary>Spawns a member running <paramref name="action"/>, waiting for room in a pool.</summary>
    public Greenlet Spawn(Action action)
    {
        var greenlet = new Greenlet(action);
        Start(greenlet);
        return greenlet;
    }

    /// <summary>Spawns a member computing <paramref name="func"/>, waiting for room in a pool.</summary>
    public Greenlet<T> Spawn<T>(Func<T> func)
    {
        var greenlet = new Greenlet<T>(func);
        Start(greenlet);
        return greenlet;
    }

    /// <summary>Waits until the group is empty.</summary>
    public void Join() => Join(null);

    /// <summary>
    /// Waits until the group is empty or <paramref name="timeout"/> passes; returns whether it is empty.
    /// With <paramref name="raiseError"/>, then re-throws the exception of the first member (present
    /// when the wait began) that failed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public bool Join(TimeSpan? timeout, bool raiseError = false)
    {
        Durations.IsBounded(timeout, nameof(timeout));
        Hub.VerifyAccess(this);
        var members = raiseError ? _members.Keys.ToList() : null;
        var empty = _empty.Wait(timeout);
        if (members?.FirstOrDefault(g => g.Exception is not null) is { } failed)
        {
            ExceptionDispatchInfo.Throw(failed.Exception!);
        }

        return empty;
    }

    /// <summary>Kills every member (see <see cref="Greenlet.Kill"/>); with <paramref name="block"/>, waits up to <paramref name="timeout"/> for them to die.</summary>
    public void Kill(Exception? exception = null, bool block = true, TimeSpan? timeout = null)
    {
        Hub.VerifyAccess(this);
        Greenlet.KillAll(_members.Keys.ToList(), exception, block, timeout);
    }

    /// <summary>Kills <paramref name="greenlet"/> if it is a member (see <see cref="Greenlet.Kill"/>).</summary>
    public void KillOne(Greenlet greenlet, Exception? exception = null, bool block = true, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(greenlet);
        Hub.VerifyAccess(this);
        if (_members.ContainsKey(greenlet))
        {
            greenlet.Kill(exception, block, timeout);
        }
    }

    /// <summary>
    /// Runs <paramref name="func"/> in a member and returns its result (re-throwing its exception). Called
    /// from a member, runs inline instead, so a full pool cannot deadlock on itself.
    /// </summary>
    public T Apply<T>(Func<T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        Hub.VerifyAccess(this);
        return Contains(Greenlet.Current) ? func() : Spawn(func).Get();
    }

    /// <summary>
    /// Starts <paramref name="func"/> without waiting: in a member, or — when the group is full or the
    /// caller is a member — in a greenlet outside it that waits for room. <paramref name="callback"/>,
    /// if given, is called with the result on success.
    /// </summary>
    public Greenlet<T> ApplyAsync<T>(Func<T> func, Action<T>? callback = null)
    {
        ArgumentNullException.ThrowIfNull(func);
        Hub.VerifyAccess(this);
        var greenlet = IsFull || Contains(Greenlet.Current) ? Greenlet.Spawn(() => Apply(func)) : Spawn(func);
        if (callback is not null)
        {
            greenlet.LinkValue(g => callback(((Greenlet<T>)g).Value!));
        }

        return greenlet;
    }

    /// <summary>
    /// Applies <paramref name="func"/> to every item in members and returns the results in input order;
    /// re-throws the first failure in that order. Called from a member, runs inline.
    /// </summary>
    public IReadOnlyList<TResult> Map<T, TResult>(IEnumerable<T> items, Func<T, TResult> func)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(func);
        Hub.VerifyAccess(this);
        return Contains(Greenlet.Current) ? items.Select(func).ToList() : IMap(items, func).ToList();
    }

    /// <summary>
    /// Lazily applies <paramref name="func"/> to every item in members, yielding results in input order.
    /// A failure is thrown at its position, and iteration may go on past it. Nothing starts until
    /// iteration does; disposing the iterator stops spawning.
    /// </summary>
    public IEnumerable<TResult> IMap<T, TResult>(IEnumerable<T> items, Func<T, TResult> func) => IMap(items, func, 0);

    /// <summary>
    /// <see cref="IMap{T, TResult}(IEnumerable{T}, Func{T, TResult})"/> with back-pressure: with
    /// <paramref name="maxSize"/> &gt; 0, at most that many results are started and not yet consumed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    public IEnumerable<TResult> IMap<T, TResult>(IEnumerable<T> items, Func<T, TResult> func, int maxSize) =>
        new PoolMap<T, TResult>(this, items, func, ordered: true, maxSize);

    /// <summary>Like <see cref="IMap{T, TResult}(IEnumerable{T}, Func{T, TResult})"/>, but yields results in the order they complete.</summary>
    public IEnumerable<TResult> IMapUnordered<T, TResult>(IEnumerable<T> items, Func<T, TResult> func) => IMapUnordered(items, func, 0);

    /// <summary>Like <see cref="IMap{T, TResult}(IEnumerable{T}, Func{T, TResult}, int)"/>, but yields results in the order they complete.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    public IEnumerable<TResult> IMapUnordered<T, TResult>(IEnumerable<T> items, Func<T, TResult> func, int maxSize) =>
        new PoolMap<T, TResult>(this, items, func, ordered: false, maxSize);

    /// <summary>A snapshot of the members.</summary>
    public IEnumerator<Greenlet> GetEnumerator() => _members.Keys.ToList().GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Waits for room for one more member; a plain group always has room.</summary>
    private protected virtual void ReserveSlot(bool blocking, TimeSpan? timeout)
    {
    }

    /// <summary>Gives back the room of a member that left.</summary>
    private protected virtual void FreeSlot()
    {
    }
}
