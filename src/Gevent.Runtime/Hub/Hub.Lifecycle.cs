using Gevent.Greenlets;

namespace Gevent;

/// <summary>The end of a hub: its greenlets killed, its loop and descriptors closed once.</summary>
public sealed partial class Hub : IDisposable
{
    private const int Open = 0;
    private const int Disposing = 1;
    private const int Disposed = 2;

    private int _lifecycle;

    /// <summary>True once <see cref="Dispose"/> has finished: the hub runs nothing more and its objects refuse to be used.</summary>
    public bool IsDisposed => Volatile.Read(ref _lifecycle) == Disposed;

    /// <summary>False from the start of <see cref="Dispose"/>: a greenlet spawned now is killed before it runs.</summary>
    internal bool IsOpen => Volatile.Read(ref _lifecycle) == Open;

    /// <summary>
    /// Ends the hub (gevent's <c>hub.destroy()</c>). Greenlets started before the call and still waiting for their first
    /// run get it (one may carry work another thread posted). Then it kills its other greenlets at their blocking points
    /// and waits for them to unwind (their <c>finally</c> blocks run; one that catches the kill and blocks again is
    /// interrupted again); greenlets spawned meanwhile are killed too (a post that must run checks the hub is still open
    /// before it spawns, as <see cref="GreenletHost.SpawnAsync{T}"/> does). Then it refuses callbacks from other
    /// threads (<see cref="Gevent.Loop.EventLoop.RunCallbackThreadSafe"/> throws <see cref="ObjectDisposedException"/>), runs those
    /// it accepted before, and closes the loop and its descriptors. So every callback posted from another thread runs
    /// exactly once or is refused to its poster, and a greenlet it spawns before the disposal begins runs, at least to its first
    /// blocking point. Afterwards every use of the hub's objects throws
    /// <see cref="ObjectDisposedException"/>, and the calling thread is new to Gevent again: its next use makes a new hub.
    /// A second call does nothing.
    /// </summary>
    /// <remarks>
    /// Only the main greenlet may dispose its hub: the disposal blocks while the others unwind, and a greenlet of the
    /// hub would have to kill itself. If the main greenlet is interrupted meanwhile (a <see cref="GreenTimeout"/>), the
    /// hub stays open, its remaining greenlets killed or not, and the call can be repeated. Work already handed to
    /// another thread (<see cref="ThreadPool"/>, an awaited task) finishes there; its result, posted to a closed loop, is dropped.
    /// <para>
    /// There is no time bound: a standing kill is re-thrown at each blocking point at once, without a switch, so a
    /// greenlet that catches it and blocks again in a loop (or that never reaches a blocking point) holds the hub, and the
    /// main greenlet never runs again to give up. <see cref="Monitor"/>, when running, reports such a greenlet, naming it and where it
    /// last waited; the disposal ends when it lets the kill through.
    /// </para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">Called from another greenlet, another thread or a loop callback.</exception>
    public void Dispose()
    {
        if (Volatile.Read(ref _lifecycle) != Open)
        {
            return;
        }

        var current = ExecutionTier.Current;
        if (current != MainGreenlet || _callbackDepth > 0)
        {
            // A loop callback runs on whichever of the hub's threads polls: the main one's or a greenlet's.
            var caller = current is null ? "a thread that is not a greenlet"
                : current.Hub != this ? $"a greenlet of hub {current.Hub.Id}"
                : _callbackDepth > 0 ? "a loop callback" : $"greenlet '{current.Name}' of it";
            throw new InvalidOperationException(
                $"Hub {Id} can be disposed only by its main greenlet (the thread that created it), outside loop callbacks, and this is {caller}. " +
                "A greenlet can end its hub by asking the main greenlet to; a GreenletHost is disposed from any other thread.");
        }

        _lifecycle = Disposing;
        try
        {
            RunPromisedFirstTurns();

            // Posts stay open while greenlets unwind: one may wait in a finally block for work done on another thread.
            KillOthers();
            Loop.CloseThreadSafe();

            // What was posted before the close runs now; a greenlet it spawns is killed before it runs.
            while (Loop.Ready.Count > 0 || Live.Count > 1)
            {
                Yield();
                KillOthers();
            }
        }
        catch
        {
            _lifecycle = Open;
            throw;
        }

        Volatile.Write(ref _lifecycle, Disposed);
        HubRegistry.Remove(this);
        Loop.Dispose();
        Live.Clear();
        ExecutionTier.SetCurrent(null);
    }

    /// <summary>Throws once the hub is disposed: its objects must not schedule anything on a closed loop.</summary>
    private void ThrowIfDisposed()
    {
        if (IsDisposed)
        {
            throw new ObjectDisposedException(ToString(), $"Hub {Id} was disposed: its greenlets, loop and objects can no longer be used.");
        }
    }

    /// <summary>
    /// Gives each greenlet started while the hub was open, and still queued for its first run, that run: it may carry
    /// work a poster was told the hub accepted (a post from another thread spawns one), which must not vanish unrun.
    /// The kill reaches it at its first blocking point, and greenlets it spawns are killed with the rest.
    /// </summary>
    private void RunPromisedFirstTurns()
    {
        var queued = Live.Where(greenlet => greenlet.QueuedToStart).ToArray();

        // Queued ahead of the main greenlet's own turn, they all start within one yield.
        while (queued.Any(greenlet => greenlet.QueuedToStart))
        {
            Yield();
        }
    }

    private void KillOthers()
    {
        while (Live.Count > 1)
        {
            Greenlet.KillAll(Live.Where(greenlet => greenlet != MainGreenlet).ToArray());
        }
    }
}
