namespace Gevent.Tests;

/// <summary>
/// Proof that the hub stays responsive: a greenlet counting 5 ms sleeps until disposed. Read <see cref="Ticks"/>
/// after a wait in the hub, or call <see cref="WaitForTicks"/> from work on another thread.
/// </summary>
internal sealed class Ticker : IDisposable
{
    private readonly Greenlet _greenlet;
    private int _ticks;

    public Ticker()
    {
        _greenlet = Greenlet.Spawn(() =>
        {
            while (true)
            {
                Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
                Interlocked.Increment(ref _ticks);
            }
        });
    }

    public int Ticks => Volatile.Read(ref _ticks);

    /// <summary>From any thread: spins until the greenlet ticked <paramref name="count"/> times; false after 30 s.</summary>
    public bool WaitForTicks(int count) => SpinWait.SpinUntil(() => Ticks >= count, TimeSpan.FromSeconds(30));

    public void Dispose() => _greenlet.Kill();
}
