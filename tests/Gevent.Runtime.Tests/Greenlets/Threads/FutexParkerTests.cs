using System.Diagnostics;
using Gevent.Greenlets.Threads;
using Gevent.Loop.Native;

namespace Gevent.Tests.Greenlets.Threads;

public class FutexParkerTests
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(10);

    [Fact]
    public void AnUnparkBeforeThePark_IsKept_AsOnePermit()
    {
        if (!Libc.HasFutex)
        {
            return; // no futex here: ThreadParker.Create gives a MonitorParker
        }

        using var parker = new FutexParker();
        parker.Unpark();
        parker.Unpark();
        Assert.True(parker.Park(s_limit));
        Assert.False(parker.Park(TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public void APermitThatCameAfterATimedOutPark_IsThereForTheNext()
    {
        if (!Libc.HasFutex)
        {
            return;
        }

        using var parker = new FutexParker();
        Assert.False(parker.Park(TimeSpan.FromMilliseconds(20)));
        parker.Unpark();
        var clock = Stopwatch.StartNew();
        parker.Park();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Park waited {clock.Elapsed} for a permit it had");
    }

    // Each thread unparks the other and parks, as greenlet threads pass the baton; an Unpark that saw no parked
    // thread where one was about to wait, and so did not wake it, would stop the pair for good.
    [Fact]
    public void TwoThreadsPassingTheBaton_NeverLoseAWakeUp()
    {
        if (!Libc.HasFutex)
        {
            return;
        }

        const int rounds = 20_000;
        var ping = new FutexParker();
        var pong = new FutexParker();
        var passes = 0;
        var other = new Thread(() =>
        {
            for (var i = 0; i < rounds; i++)
            {
                ping.Park();
                passes++;
                pong.Unpark();
            }
        }) { IsBackground = true };
        other.Start();
        var timedOut = false;
        for (var i = 0; i < rounds && !timedOut; i++)
        {
            ping.Unpark();
            timedOut = !pong.Park(s_limit);
        }

        // A thread left parked keeps its parker: freeing it would free the word it waits on.
        Assert.False(timedOut, $"the baton stopped after {Volatile.Read(ref passes)} of {rounds} passes");
        Assert.True(other.Join(s_limit));
        Assert.Equal(rounds, passes);
        ping.Dispose();
        pong.Dispose();
    }
}
