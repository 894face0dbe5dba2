using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// A <see cref="Mutex"/> belongs to the OS thread that took it, and a stackless greenlet runs on whichever carrier
/// thread the baton brings it to. So from the wait that takes a mutex to its last <see cref="Mutex.ReleaseMutex"/>, a
/// stackless greenlet pins (<see cref="PinReason.MutexHeld"/>): the waits (<see cref="WaitHandlePatches"/>) tell its
/// frame stack what they took, an abandoned mutex included, and <see cref="ReleaseMutex"/> what it lets go. Thread-backed
/// greenlets and plain threads keep their thread anyway: for them nothing is counted.
/// </summary>
public static class MutexPatches
{
    /// <summary><see cref="Mutex.ReleaseMutex"/>: the original, then one level fewer of the greenlet's hold.</summary>
    [NeverWaits]
    [Patch(typeof(Mutex), nameof(Mutex.ReleaseMutex), PatchKind.Instance, PatchStrategy.Hub)]
    public static void ReleaseMutex(Mutex mutex)
    {
        // Throws (ApplicationException) for a mutex the thread does not own: then nothing was let go.
        mutex.ReleaseMutex();
        FrameStack.Current?.ReleasedMutex(mutex);
    }

    /// <summary>Counts <paramref name="handle"/>, which a wait of <paramref name="current"/> took, if it is a mutex and the greenlet is stackless.</summary>
    internal static void Took(Greenlet current, WaitHandle? handle)
    {
        if (current.Frames is { } frames && handle is Mutex mutex)
        {
            frames.TookMutex(mutex);
        }
    }

    /// <summary>Counts each mutex of <paramref name="handles"/>, all of which a wait of <paramref name="current"/> took.</summary>
    internal static void TookAll(Greenlet current, WaitHandle[] handles)
    {
        foreach (var handle in handles)
        {
            Took(current, handle);
        }
    }
}
