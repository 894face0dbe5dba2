namespace Gevent.Patches;

/// <summary>
/// The one decision behind every open-by-path replacement: in a greenlet, opening a FIFO (which blocks in open(2)
/// until the other end is opened too) is offloaded; anything else — a regular file, a directory, a missing path,
/// and every open outside a greenlet — runs here, so the BCL opens it and throws its own exceptions.
/// </summary>
/// <remarks>
/// A kill or timeout stops the wait, not the open: the pool thread stays in open(2) until a peer comes. The
/// stream it then opens has no owner, so it is closed at once; left to the finalizer, it would keep the FIFO's
/// end open and the peer would wait for an end of file that never comes.
/// </remarks>
internal static class FifoOpen
{
    /// <summary>Runs <paramref name="open"/>, offloaded when it opens the FIFO <paramref name="path"/> in a greenlet.</summary>
    public static T Open<T>(string? path, Func<T> open)
        where T : class, IDisposable =>
        Hub.CooperativeGreenlet is not null && FifoPaths.IsFifo(path) ? Offloaded(open) : open();

    private static T Offloaded<T>(Func<T> open)
        where T : class, IDisposable
    {
        var handoff = new Handoff<T>();
        var delivered = false;
        try
        {
            var opened = Offload.Run(() => handoff.Complete(open()));
            delivered = true;
            return opened;
        }
        finally
        {
            if (!delivered)
            {
                handoff.Abandon();
            }
        }
    }

    /// <summary>Hands the opened object to the waiting greenlet, or closes it when the greenlet has stopped waiting.</summary>
    private sealed class Handoff<T>
        where T : class, IDisposable
    {
        private readonly Lock _lock = new();
        private T? _opened;
        private bool _abandoned;

        /// <summary>On the pool thread, once the open returned.</summary>
        public T Complete(T opened)
        {
            lock (_lock)
            {
                if (!_abandoned)
                {
                    _opened = opened;
                    return opened;
                }
            }

            Close(opened);
            return opened;
        }

        /// <summary>In the greenlet, when its wait ended without the object: a kill, a timeout, or a failed open.</summary>
        public void Abandon()
        {
            T? orphan;
            lock (_lock)
            {
                _abandoned = true;
                orphan = _opened;
            }

            if (orphan is not null)
            {
                Close(orphan);
            }
        }

        /// <summary>Closes what nobody will use; a writer's stream only, as its own Dispose would write its encoding's preamble to the peer.</summary>
        private static void Close(T orphan) => (orphan is StreamWriter writer ? writer.BaseStream : (IDisposable)orphan).Dispose();
    }
}
