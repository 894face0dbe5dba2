using Gevent.CompilerServices;
using Gevent.Loop;

namespace Gevent;

/// <summary>
/// The FIFO list of greenlets waiting on one primitive, shared by all of them so the register /
/// park / time out / unregister dance is written once. A releaser hands a value straight to the
/// first waiter still parked in its wait (the waiter then owns it: a permit, an item, the lock), so
/// no other greenlet can barge in between the wake and the waiter running. A waiter already woken by
/// its timer or a kill is skipped, which is how an item always reaches a live waiter.
/// </summary>
/// <typeparam name="T">What is handed over (an item, or a flag for plain signals).</typeparam>
internal sealed class WaiterQueue<T>(Hub hub)
{
    private readonly LinkedList<Waiter> _waiters = new();

    public int Count => _waiters.Count;

    /// <summary>The offer of the first waiter, or default when none waits (may be one that is leaving).</summary>
    public T? FirstOffer => _waiters.First is { } node ? node.Value.Offer : default;

    /// <summary>
    /// Parks the current greenlet at the back of the queue until a value is handed to it (true),
    /// it is woken without one by <see cref="WakeAll"/>, or <paramref name="timeout"/> passes (false).
    /// <paramref name="offer"/> is what the waiter brings (a putter's item) for the releaser to take.
    /// A zero timeout returns false at once. Kill and timeout exceptions propagate. A stackless greenlet pins here.
    /// </summary>
    public bool Wait(string waitingOn, TimeSpan? timeout, T offer, out T received) => Wait(waitingOn, timeout, offer, null, out received);

    /// <summary>
    /// <see cref="Wait(string, TimeSpan?, T, out T)"/> for a resumable caller (<see cref="FrameStack"/>), which
    /// passes <paramref name="frames"/>, its greenlet's, when stackless: the waiter is this call's frame, and the
    /// call returns false while suspending. Only callers that follow the contract pass the frames, so a link meant
    /// for another call never makes this wait suspend under a caller that cannot.
    /// </summary>
    public bool Wait(string waitingOn, TimeSpan? timeout, T offer, FrameStack? frames, out T received)
    {
        var current = Hub.CurrentGreenlet;
        var linked = frames is not null && frames.Enter();
        received = default!;
        Waiter waiter;
        if (linked && frames!.IsResuming)
        {
            waiter = (Waiter)frames.Pop();
        }
        else
        {
            var bounded = Durations.IsBounded(timeout, nameof(timeout));
            if (bounded && timeout!.Value == TimeSpan.Zero)
            {
                return false;
            }

            waiter = new Waiter(new WakeToken(current), offer);
            waiter.Node = _waiters.AddLast(waiter);
            waiter.Timer = bounded ? hub.Loop.StartTimer(timeout!.Value, WakeToken.WakeCallback, waiter.Token) : null;
        }

        try
        {
            if (linked)
            {
                frames!.Link();
            }

            if (frames is null)
            {
                hub.Block(waitingOn);
            }
            else
            {
                hub.BlockResumably(waitingOn);
            }

            if (frames is { IsSuspending: true })
            {
                frames.Push(waiter);
                return false;
            }
        }
        finally
        {
            if (frames is not { IsSuspending: true })
            {
                waiter.Timer?.Cancel();
                if (waiter.Node!.List is not null)
                {
                    _waiters.Remove(waiter.Node);
                }
            }
        }

        received = waiter.Received!;
        return waiter.Handed;
    }

    /// <summary><see cref="Wait(string, TimeSpan?, T, out T)"/> for a waiter that brings nothing.</summary>
    public bool Wait(string waitingOn, TimeSpan? timeout, out T received) => Wait(waitingOn, timeout, default!, null, out received);

    /// <summary><see cref="Wait(string, TimeSpan?, T, FrameStack?, out T)"/> for a waiter that brings nothing.</summary>
    public bool Wait(string waitingOn, TimeSpan? timeout, FrameStack? frames, out T received) => Wait(waitingOn, timeout, default!, frames, out received);

    /// <summary>Hands <paramref name="value"/> to the first live waiter and wakes it; returns that waiter's offer.</summary>
    public bool TryHandOff(T value, out T offer)
    {
        while (_waiters.First is { } node)
        {
            _waiters.RemoveFirst();
            var waiter = node.Value;

            // A waiter its timer or a kill already woke is on its way out: the value goes to the next one.
            if (hub.Wake(waiter.Token))
            {
                waiter.Handed = true;
                waiter.Received = value;
                offer = waiter.Offer;
                return true;
            }
        }

        offer = default!;
        return false;
    }

    /// <summary><see cref="TryHandOff(T, out T)"/> ignoring the offer.</summary>
    public bool TryHandOff(T value) => TryHandOff(value, out _);

    /// <summary>Hands <paramref name="value"/> to every live waiter.</summary>
    public void HandOffAll(T value)
    {
        while (TryHandOff(value))
        {
        }
    }

    /// <summary>Wakes every waiter without handing it anything (for example on shutdown); each re-checks its condition.</summary>
    public void WakeAll()
    {
        while (_waiters.First is { } node)
        {
            _waiters.RemoveFirst();
            hub.Wake(node.Value.Token);
        }
    }

    private sealed class Waiter(WakeToken token, T offer) : ResumableFrame
    {
        public WakeToken Token { get; } = token;

        public T Offer { get; } = offer;

        public LinkedListNode<Waiter>? Node { get; set; }

        public LoopTimer? Timer { get; set; }

        public bool Handed { get; set; }

        public T? Received { get; set; }
    }
}
