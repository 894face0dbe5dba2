using System.Diagnostics;
using System.Runtime.CompilerServices;
using Gevent.Tests;

namespace Gevent.Runtime.Tests.Pools;

public class GreenThreadPoolTests
{
    [Fact]
    public void CpuWork_OnThePool_LetsOtherGreenletsKeepTicking() => HubTest.Run(() =>
    {
        using var ticker = new Ticker();

        // The work spins until it has seen the ticker advance: that can only happen if the hub keeps
        // running greenlets while the work occupies its OS thread.
        var result = Hub.Current.ThreadPool.Spawn(() =>
        {
            var sawTicks = ticker.WaitForTicks(5);
            long sum = 0;
            for (var i = 0; i < 1_000_000; i++)
            {
                sum += i;
            }

            return (sawTicks, sum);
        });

        Assert.Equal((true, 499_999_500_000L), result.Get());
    });

    [Fact]
    public void Failures_ReachTheWaiter_WithTheirStackTrace() => HubTest.Run(() =>
    {
        var error = Assert.Throws<InvalidDataException>(() => Hub.Current.ThreadPool.Apply(FailOnThePool));
        Assert.Contains(nameof(FailOnThePool), error.StackTrace);
    });

    [Fact]
    public void Map_KeepsInputOrder() => HubTest.Run(() =>
    {
        var results = Hub.Current.ThreadPool.Map(Enumerable.Range(0, 20), i => i * 2);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * 2), results);
    });

    [Fact]
    public void Threads_AreCappedAtSize_AndExitWhenIdle() => HubTest.Run(() =>
    {
        var pool = Hub.Current.ThreadPool;
        pool.IdleTimeout = TimeSpan.FromMilliseconds(50);
        Assert.Equal(GeventConfig.Current.ThreadPoolSize, pool.Size);
        using var gate = new ManualResetEventSlim();
        var results = Enumerable.Range(0, pool.Size + 2).Select(i => pool.Spawn(() => gate.Wait(TimeSpan.FromSeconds(30)) ? i : -1)).ToList();
        Assert.Equal(pool.Size, pool.ThreadCount);

        gate.Set();
        Assert.Equal(Enumerable.Range(0, pool.Size + 2), results.Select(r => r.Get()));

        var deadline = Stopwatch.StartNew();
        while (pool.ThreadCount > 0 && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            Greenlet.Sleep(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(0, pool.ThreadCount);
    });

    [Fact]
    public void UseFromAnotherThread_IsRefused() => HubTest.Run(() =>
    {
        var pool = Hub.Current.ThreadPool;
        Exception? foreign = null;
        var thread = new Thread(() => foreign = Record.Exception(() => pool.Spawn(() => 1)));
        thread.Start();
        thread.Join();
        Assert.IsType<InvalidOperationException>(foreign);
        Assert.Contains("GreenThreadPool", foreign.Message);
    });

    [Theory]
    [InlineData("0")]
    [InlineData("1025")]
    [InlineData("many")]
    public void InvalidSizeSetting_NamesTheVariableAndAllowedValues(string value)
    {
        var error = Assert.Throws<GeventConfigurationException>(() =>
            GeventConfig.FromEnvironment(name => name == "GEVENT_THREADPOOL_SIZE" ? value : null));
        Assert.Equal("GEVENT_THREADPOOL_SIZE", error.Variable);
        Assert.Contains("allowed values: 1 to 1024", error.Message);
    }

    [Fact]
    public void SizeSetting_IsRead()
    {
        Assert.Equal(4, GeventConfig.FromEnvironment(name => name == "GEVENT_THREADPOOL_SIZE" ? " 4 " : null).ThreadPoolSize);
        Assert.Equal(10, GeventConfig.FromEnvironment(_ => null).ThreadPoolSize);
    }

    [Fact]
    public void AThreadThatCannotStart_IsNotCounted_AndTheCallerHearsWhy() => HubTest.Run(() =>
    {
        var refuse = true;
        var pool = new GreenThreadPool(Hub.Current, 1, thread =>
        {
            if (refuse)
            {
                throw new OutOfMemoryException("no memory for the thread's stack");
            }

            thread.Start();
        });

        Assert.Throws<OutOfMemoryException>(() => pool.Spawn(() => 1));
        Assert.Equal(0, pool.ThreadCount);

        // With the failed start still counted, a pool of one would believe itself full and queue this forever.
        refuse = false;
        Assert.Equal(2, pool.Spawn(() => 2).Get(TimeSpan.FromSeconds(20)));
    });

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FailOnThePool() => throw new InvalidDataException("bad data");
}
