namespace Gevent.Runtime.Tests;

/// <summary>
/// A greenlet counting ticks every millisecond until disposed. Work on another thread that waits for
/// it to advance proves the hub kept running greenlets while that work was outstanding.
/// </summary>
internal sealed class TickingGreenlet : IDisposable
{
    private readonly Greenlet _greenlet;
    private int _ticks;
    private bool _stop;

    public TickingGreenlet()
    {
        _greenlet = Greenlet.Spawn(() =>
        {
            while (!_stop)
            {
                Interlocked.Increment(ref _ticks);
                Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            }
        });
    }

    /// <summary>From any thread: spins until the greenlet ticked <paramref name="count"/> times; false after 30 s.</summary>
    public bool WaitForTicks(int count) => SpinWait.SpinUntil(() => Volatile.Read(ref _ticks) >= count, TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        _stop = true;
        _greenlet.Join();
    }
}
