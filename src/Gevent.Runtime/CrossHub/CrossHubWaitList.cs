using System.Diagnostics;

namespace Gevent;

/// <summary>
/// The FIFO list of waiters on one cross-hub primitive: greenlets of any hub, which park without blocking their
/// hub, and plain threads, which block. All of it runs under the owner's lock (<c>gate</c>); a greenlet releases
/// the lock while parked and a releaser wakes it by posting to its hub's loop, the one thread-safe entry point.
/// As in <see cref="WaiterQueue{T}"/>, a releaser hands its value straight to the first waiter still waiting.
/// </summary>
/// <typeparam name="T">What is handed over (an item, or a flag for plain signals).</typeparam>
internal sealed class CrossHubWaitList<T>(object gate)
{
    private readonly LinkedList<Waiter> _waiters = new();

    /// <summary>
    /// With the gate held: waits until a value is handed to this waiter (true) or <paramref name="timeout"/> passes
    /// (false), and returns with the gate held again. A zero timeout returns false at once. A kill or a
    /// <see cref="GreenTimeout"/> propagates; a value handed to a waiter that leaves that way goes to
    /// <paramref name="unreceived"/>, so it is not lost.
    /// </summary>
    public bool Wait(string waitingOn, TimeSpan? timeout, Action<T> unreceived, out T received)
    {
        Debug.Assert(Monitor.IsEntered(gate));
        received = default!;
        var bounded = Durations.IsBounded(timeout, nameof(timeout));
        if (bounded && timeout!.Value == TimeSpan.Zero)
        {
            return false;
        }

        var greenlet = Hub.CurrentGreenletOrNull;
        var waiter = new Waiter(greenlet is null ? null : new WakeToken(greenlet));
        waiter.Node = _waiters.AddLast(waiter);
        var leftNormally = false;
        try
        {
            if (waiter.Token is { } token)
            {
                ParkGreenlet(token, waitingOn, bounded ? timeout : null);
            }
            else
            {
                BlockThread(waiter, bounded ? timeout : null);
            }

            leftNormally = true;
        }
        finally
        {
            if (waiter.Node.List is not null)
            {
                _waiters.Remove(waiter.Node);
            }

            if (!leftNormally && waiter.Handed)
            {
                unreceived(waiter.Received!);
            }
        }

        received = waiter.Received!;
        return waiter.Handed;
    }

    /// <summary>With the gate held: hands <paramref name="value"/> to the first waiter and wakes it; false when none waits.</summary>
    public bool TryHandOff(T value)
    {
        Debug.Assert(Monitor.IsEntered(gate));
        if (_waiters.First is not { } node)
        {
            return false;
        }

        _waiters.RemoveFirst();
        var waiter = node.Value;
        waiter.Handed = true;
        waiter.Received = value;
        if (waiter.Token is { } token)
        {
            // A hub disposed meanwhile killed its waiter, which then gives the value back: nothing to wake.
            token.Greenlet.Hub.Loop.TryPostThreadSafe(WakeToken.WakeCallback, token);
        }
        else
        {
            Monitor.PulseAll(gate);
        }

        return true;
    }

    /// <summary>With the gate held: hands <paramref name="value"/> to every waiter.</summary>
    public void HandOffAll(T value)
    {
        while (TryHandOff(value))
        {
        }
    }

    private void ParkGreenlet(WakeToken token, string waitingOn, TimeSpan? timeout)
    {
        var hub = token.Greenlet.Hub;
        var timer = timeout is { } after ? hub.Loop.StartTimer(after, WakeToken.WakeCallback, token) : null;

        // Another hub or thread may hand a value over: a hub with nothing else to run is waiting, not deadlocked.
        hub.Loop.AddAsyncRef();
        Monitor.Exit(gate);
        try
        {
            hub.Block(waitingOn);
        }
        finally
        {
            hub.Loop.ReleaseAsyncRef();
            timer?.Cancel();
            Monitor.Enter(gate);
        }
    }

    private void BlockThread(Waiter waiter, TimeSpan? timeout)
    {
        var deadline = timeout is { } after ? Stopwatch.GetTimestamp() + Durations.ToStopwatchTicks(after) : long.MaxValue;
        while (!waiter.Handed)
        {
            var left = deadline == long.MaxValue ? Timeout.InfiniteTimeSpan : Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left != Timeout.InfiniteTimeSpan && left <= TimeSpan.Zero)
            {
                return;
            }

            Monitor.Wait(gate, left);
        }
    }

    private sealed class Waiter(WakeToken? token)
    {
        /// <summary>The greenlet's wait, or null for a plain thread.</summary>
        public WakeToken? Token { get; } = token;

        public LinkedListNode<Waiter>? Node { get; set; }

        public bool Handed { get; set; }

        public T? Received { get; set; }
    }
}
