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

    /// <summary>
    /// The ticks that prove the hub kept running: a hub blocked through a wait runs the ticker once at most, and a
    /// loaded machine that stalls each wake-up for tens of milliseconds still reaches a few in 200 ms.
    /// </summary>
    public const int KeptRunningTicks = 3;

    public int Ticks => Volatile.Read(ref _ticks);

    /// <summary>Asserts at least <see cref="KeptRunningTicks"/> ticks; <paramref name="during"/> says what the hub waited for.</summary>
    public void AssertKeptRunning(string during) =>
        Assert.True(Ticks >= KeptRunningTicks, $"the ticker ran only {Ticks} times {during}");

    /// <summary>
    /// In a greenlet (of the ticker's hub, or of another hub whose work the ticker's hub waits for): sleeps
    /// <paramref name="atLeast"/>, then on until the ticker has proved its hub kept running (a loaded machine can stall
    /// 5 ms ticks for tens of milliseconds each), or 30 s have passed. A hub blocked by the caller's subject never
    /// ticks (nor, on its own hub, gets here), so this cannot hide one.
    /// </summary>
    public void SleepWhileTicking(TimeSpan atLeast)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        Greenlet.Sleep(atLeast);
        while (Ticks < KeptRunningTicks && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            Greenlet.Sleep(atLeast);
        }
    }

    /// <summary>From any thread: spins until the greenlet ticked <paramref name="count"/> times; false after 30 s.</summary>
    public bool WaitForTicks(int count) => SpinWait.SpinUntil(() => Ticks >= count, TimeSpan.FromSeconds(30));

    public void Dispose() => _greenlet.Kill();
}
