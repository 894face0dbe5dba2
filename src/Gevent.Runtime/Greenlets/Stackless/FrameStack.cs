using System.ComponentModel;
using Gevent.Greenlets;

namespace Gevent.CompilerServices;

/// <summary>
/// The call stack of a stackless greenlet, saved on the heap while it is suspended, and the protocol its
/// resumable methods follow (docs/execution-tiers.md, "The frame contract"). Infrastructure for woven code
/// and for the runtime's own blocking points, not for application code.
/// </summary>
/// <remarks>
/// <para>A resumable method reads <see cref="Current"/> once at entry; null means it is not on a stackless
/// greenlet and it runs as the original code would. Otherwise:</para>
/// <list type="bullet">
/// <item>At entry it calls <see cref="Enter"/>: false means it was not called by a resumable caller (an
/// un-woven frame is in between), so it links none of its own calls, and a blocking point below pins
/// (<see cref="PinReason.UnwovenFrame"/>). If <see cref="IsResuming"/>, it takes its frame with
/// <see cref="Pop"/>, restores its locals and jumps to the call site the frame names.</item>
/// <item>Right before a call that may suspend it calls <see cref="Link"/> (if it was entered linked); right after, if
/// <see cref="IsSuspending"/>, it stores its live locals in a frame, <see cref="Push"/>es it and returns at
/// once (any value), running none of its finally blocks' bodies.</item>
/// <item>Where its frame cannot be saved (a lock held, inside a finally, a byref live across the call) it
/// wraps the call in <see cref="Pin"/>: a blocking point inside then blocks the carrier thread instead.</item>
/// </list>
/// <para>A method that keeps nothing across its suspendable call needs no frame: it skips the code before the
/// call when resuming and returns at once when suspending. One whose every path reaches that call (or throws
/// from the callee) may even leave the link for the callee instead of taking it ("transparent"); any other
/// must take it, or a link left set could make a later method entered from un-woven code look linked.</para>
/// <para>Frames are pushed from the blocking point down to the greenlet's entry and popped in the other
/// order, as the entry is re-entered first. Every member is used by the one greenlet that owns the stack.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class FrameStack
{
    private ResumableFrame?[]? _saved;
    private int _count;
    private int _resumeAt;
    private Mode _mode;
    private bool _linked;
    private bool _leafLinked;
    private PinReason _leafReason;
    private int _pins;
    private PinReason _pinReason;

    // The mutexes the greenlet's patched waits took and it has not released, with their depth; null while none.
    private Dictionary<Mutex, int>? _heldMutexes;

    private enum Mode
    {
        NotStarted,
        Running,
        Suspending,
        Resuming,
    }

    /// <summary>The running greenlet's stack if it runs stackless; null on a thread-backed greenlet or a plain thread.</summary>
    public static FrameStack? Current => ExecutionTier.Current?.Frames;

    /// <summary>
    /// True from the moment a blocking point suspends until the greenlet is resumed: after a call returns with it
    /// set, save the frame, push it and return.
    /// </summary>
    public bool IsSuspending => _mode == Mode.Suspending;

    /// <summary>True while the greenlet's frames are being re-entered: pop the frame and jump to its call site.</summary>
    public bool IsResuming => _mode == Mode.Resuming;

    /// <summary>True if a blocking point reached now may suspend: its caller chain is linked, no pin scope is open and no mutex is held.</summary>
    internal bool CanSuspend => _leafLinked && _pins == 0 && _heldMutexes is null;

    /// <summary>Why a blocking point reached now must pin instead.</summary>
    internal PinReason PinReason => _pins > 0 ? _pinReason : _heldMutexes is not null ? PinReason.MutexHeld : _leafReason;

    /// <summary>Says that the next method entered is called by this resumable method: call right before a call that may suspend.</summary>
    public void Link() => _linked = true;

    /// <summary>
    /// <see cref="Link"/> for a virtual or interface call of <paramref name="method"/> (declared by
    /// <paramref name="declaringType"/>) on <paramref name="receiver"/>: links only when the method the receiver's type
    /// runs for it is <see cref="ResumableAttribute">[Resumable]</see>, so that an override the weaver never saw (a
    /// subclass from another assembly) runs unlinked and its waits pin, as under any un-woven frame.
    /// </summary>
    public void LinkVirtual(object? receiver, RuntimeMethodHandle method, RuntimeTypeHandle declaringType) =>
        _linked = receiver is not null && VirtualDispatch.RunsResumable(receiver.GetType(), method, declaringType);

    /// <summary>Called at a resumable method's entry; false if its caller did not <see cref="Link"/> (it is called from un-woven code).</summary>
    public bool Enter()
    {
        var linked = _linked;
        _linked = false;
        return linked;
    }

    /// <summary>While resuming: the calling method's saved frame.</summary>
    public ResumableFrame Pop()
    {
        if (_mode != Mode.Resuming || _resumeAt < 0)
        {
            throw new InvalidOperationException("A resumable method asked for a frame that was never saved: its re-entry does not match its suspension.");
        }

        var frame = _saved![_resumeAt]!;
        _saved[_resumeAt--] = null;
        return frame;
    }

    /// <summary>While suspending: saves the calling method's frame, below the frames of the methods it called.</summary>
    public void Push(ResumableFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_mode != Mode.Suspending)
        {
            throw new InvalidOperationException("A frame can only be saved while its greenlet is suspending.");
        }

        if (_saved is null || _count == _saved.Length)
        {
            Array.Resize(ref _saved, Math.Max(4, _count * 2));
        }

        _saved[_count++] = frame;
    }

    /// <summary>
    /// Opens a scope in which the greenlet's blocking points pin (block its carrier thread) instead of
    /// suspending, for <paramref name="reason"/>; scopes nest, and the outermost one names the reason.
    /// </summary>
    public PinScope Pin(PinReason reason)
    {
        if (_pins++ == 0)
        {
            _pinReason = reason;
        }

        return new PinScope(this);
    }

    internal void Unpin() => _pins--;

    /// <summary>
    /// Called as a wait of the greenlet takes <paramref name="mutex"/> (once per level of a recursive take): until it is
    /// released as often, the greenlet pins (<see cref="PinReason.MutexHeld"/>) rather than leave the thread owning it.
    /// </summary>
    internal void TookMutex(Mutex mutex)
    {
        _heldMutexes ??= [];
        _heldMutexes[mutex] = _heldMutexes.GetValueOrDefault(mutex) + 1;
    }

    /// <summary>
    /// Called as the greenlet releases <paramref name="mutex"/>: one level fewer. A mutex no wait of the greenlet took
    /// (an un-woven frame took it) is not counted, so releasing it ends no other mutex's pin.
    /// </summary>
    internal void ReleasedMutex(Mutex mutex)
    {
        if (_heldMutexes is null || !_heldMutexes.TryGetValue(mutex, out var depth))
        {
            return;
        }

        if (depth > 1)
        {
            _heldMutexes[mutex] = depth - 1;
        }
        else if (_heldMutexes.Remove(mutex) && _heldMutexes.Count == 0)
        {
            _heldMutexes = null;
        }
    }

    /// <summary>Called by the carrier as the greenlet's body is first called: the body is entered linked.</summary>
    internal void Start()
    {
        _mode = Mode.Running;
        _linked = true;
    }

    /// <summary>
    /// Called by a blocking point as it is reached: it can suspend only if it is resumable itself and its
    /// caller linked to it. A blocking point that is not resumable clears a link it could not consume.
    /// </summary>
    internal void ArriveAtLeaf(bool resumable)
    {
        _leafLinked = Enter() && resumable;
        _leafReason = resumable ? PinReason.UnwovenFrame : PinReason.RuntimeWait;
    }

    /// <summary>Called by the tier as a blocking point suspends: the calls below now return and save their frames.</summary>
    internal void BeginSuspend()
    {
        _mode = Mode.Suspending;
        _count = 0;
    }

    /// <summary>Called by the carrier before it re-enters the greenlet's body: frames pop from the entry up.</summary>
    internal void BeginResume()
    {
        _mode = Mode.Resuming;
        _resumeAt = _count - 1;
        _linked = true;
    }

    /// <summary>Called by the blocking point that suspended as it is re-entered: every frame is back on the thread's stack.</summary>
    internal void EndResume()
    {
        if (_resumeAt != -1)
        {
            throw new InvalidOperationException($"The greenlet resumed at its blocking point with {_resumeAt + 1} saved frames not re-entered.");
        }

        _mode = Mode.Running;
        _count = 0;
        // The leaf's caller linked to it as it re-entered; a link left set would let the next wait below an
        // un-woven frame suspend and lose that frame.
        _linked = false;
    }
}
