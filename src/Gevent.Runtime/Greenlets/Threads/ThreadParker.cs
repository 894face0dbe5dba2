using Gevent.Loop.Native;

namespace Gevent.Greenlets.Threads;

/// <summary>
/// A one-permit park/unpark pair for one OS thread: the baton of tier-1 greenlets.
/// <see cref="Unpark"/> before <see cref="Park()"/> is remembered, so a handoff can never be lost.
/// </summary>
internal abstract class ThreadParker : IDisposable
{
    /// <summary>Blocks the calling thread until a permit is available, then consumes it.</summary>
    public abstract void Park();

    /// <summary>Like <see cref="Park()"/>, giving up after <paramref name="timeout"/>; false if no permit came.</summary>
    public abstract bool Park(TimeSpan timeout);

    /// <summary>Makes a permit available, waking the parked thread if there is one. Any thread may call it.</summary>
    public abstract void Unpark();

    public virtual void Dispose()
    {
    }

    /// <summary>The fastest parker this platform has.</summary>
    public static ThreadParker Create() => Libc.HasFutex ? new FutexParker() : new MonitorParker();
}
