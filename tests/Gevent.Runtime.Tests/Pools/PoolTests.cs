namespace Gevent.Runtime.Tests.Pools;

public class PoolTests
{
    [Fact]
    public void PoolOfOne_SecondSpawnWaits_AndSizeNeverExceedsOne() => HubTest.Run(() =>
    {
        var pool = new Pool(1);
        var gate = new GreenEvent();
        var running = 0;
        var maxRunning = 0;
        void Work()
        {
            running++;
            maxRunning = Math.Max(maxRunning, running);
            gate.Wait();
            running--;
        }

        pool.Spawn(Work);
        var secondSpawner = Greenlet.Spawn(() => pool.Spawn(Work));
        Greenlet.Yield();
        Assert.False(secondSpawner.Dead);
        Assert.Single(pool);
        Assert.Equal(0, pool.FreeCount);
        Assert.True(pool.IsFull);

        Assert.False(pool.Join(TimeSpan.FromMilliseconds(10)));
        gate.Set();
        Assert.True(secondSpawner.Join(TimeSpan.FromSeconds(10)));
        Assert.True(pool.Join(null));
        Assert.Empty(pool);
        Assert.Equal(1, maxRunning);
        Assert.Equal(1, pool.FreeCount);
    });

    [Theory]
    [InlineData(3, new[] { 100, 200, 1000 })]
    [InlineData(1, new[] { 1000, 100, 200 })]
    public void IMapUnordered_YieldsInCompletionOrder(int size, int[] expected) => HubTest.Run(() =>
    {
        // gevent's test_pool.TestPool.test_imap_unordered_no_stop with delays 10/1/2, scaled up: with 100/10/20 ms,
        // a loaded machine that stalled the later sleeps' start by 90 ms finished the first one first.
        var pool = new Pool(size);
        var results = pool.IMapUnordered(new[] { 1000, 100, 200 }, delay =>
        {
            Greenlet.Sleep(TimeSpan.FromMilliseconds(delay));
            return delay;
        }).ToList();
        Assert.Equal(expected, results);
    });

    [Fact]
    public void IMap_ThrowsAtTheFailingPosition_AndCanContinue() => HubTest.Run(() =>
    {
        Hub.Current.ErrorHandler = (_, _) => { };
        var pool = new Pool(2);
        using var results = pool.IMap(new[] { 1, 2, 3, 4 }, i => i == 3 ? throw new InvalidOperationException($"bad {i}") : i * 10).GetEnumerator();

        Assert.True(results.MoveNext());
        Assert.Equal(10, results.Current);
        Assert.True(results.MoveNext());
        Assert.Equal(20, results.Current);
        Assert.Equal("bad 3", Assert.Throws<InvalidOperationException>(() => results.MoveNext()).Message);
        Assert.True(results.MoveNext());
        Assert.Equal(40, results.Current);
        Assert.False(results.MoveNext());
    });

    [Fact]
    public void Map_KeepsInputOrder_AndThrowsTheFirstError() => HubTest.Run(() =>
    {
        Hub.Current.ErrorHandler = (_, _) => { };
        var pool = new Pool(3);
        var squares = pool.Map(Enumerable.Range(1, 5), i =>
        {
            Greenlet.Sleep(TimeSpan.FromMilliseconds(6 - i));
            return i * i;
        });
        Assert.Equal([1, 4, 9, 16, 25], squares);

        var error = Assert.Throws<ArgumentException>(() => pool.Map(new[] { 1, 2, 3 }, i => i >= 2 ? throw new ArgumentException($"item {i}") : i));
        Assert.Equal("item 2", error.Message);
    });

    [Fact]
    public void IMap_BoundLimitsWorkStartedAheadOfTheConsumer() => HubTest.Run(() =>
    {
        var group = new Group();
        var started = 0;
        var consumed = 0;
        foreach (var _ in group.IMap(Enumerable.Range(0, 10), i => started++, maxSize: 2))
        {
            consumed++;
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            Assert.InRange(started - consumed, 0, 2);
        }

        Assert.Equal(10, consumed);
        Assert.Throws<ArgumentOutOfRangeException>(() => group.IMap(new[] { 1 }, i => i, maxSize: -1));
    });

    [Fact]
    public void Add_RefusesWhenFull_WithoutWaitingOrAfterTheTimeout() => HubTest.Run(() =>
    {
        var gate = new GreenEvent();
        var pool = new Pool(1);
        pool.Add(new Greenlet(() => gate.Wait()));
        var extra = new Greenlet(() => { });

        Assert.Throws<PoolFullException>(() => pool.Add(extra, blocking: false));
        Assert.Throws<PoolFullException>(() => pool.Add(extra, timeout: TimeSpan.FromMilliseconds(5)));
        Assert.False(pool.Contains(extra));
        Assert.Single(pool);

        var empty = new Pool(0);
        Assert.True(empty.IsFull);
        Assert.Throws<PoolFullException>(() => empty.Add(extra, blocking: false));
        Assert.Equal(0, empty.WaitAvailable(TimeSpan.FromMilliseconds(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pool(-1));
    });

    [Fact]
    public void WaitAvailable_ReturnsOnceAMemberLeaves() => HubTest.Run(() =>
    {
        var gate = new GreenEvent();
        var pool = new Pool(1);
        pool.Spawn(() => gate.Wait());
        Greenlet.Spawn(gate.Set);
        Assert.Equal(1, pool.WaitAvailable());
        Assert.Empty(pool);
    });

    [Fact]
    public void Kill_OfTwentySleepers_IsPrompt() => HubTest.Run(() =>
    {
        var pool = new Pool(20);
        var cleanedUp = 0;
        for (var i = 0; i < 20; i++)
        {
            pool.Spawn(() =>
            {
                try
                {
                    Greenlet.Sleep(TimeSpan.FromSeconds(30));
                }
                finally
                {
                    cleanedUp++;
                }
            });
        }

        Greenlet.Yield();
        var started = System.Diagnostics.Stopwatch.StartNew();
        pool.Kill();
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Empty(pool);
        Assert.Equal(20, cleanedUp);
    });

    [Fact]
    public void Apply_FromAMember_RunsInline() => HubTest.Run(() =>
    {
        var pool = new Pool(1);
        Assert.Equal(5, pool.Apply(() => pool.Apply(() => 5)));
        Assert.Equal(7, pool.Map(new[] { 1 }, _ => pool.Map(new[] { 7 }, x => x)[0])[0]);
    });

    [Fact]
    public void ApplyAsync_DoesNotBlock_AndCallsBack() => HubTest.Run(() =>
    {
        var pool = new Pool(1);
        var gate = new GreenEvent();
        var seen = new AsyncResult<int>();
        pool.Spawn(() => gate.Wait());

        var pending = pool.ApplyAsync(() => 3, seen.Set);
        Assert.False(pending.Dead);
        gate.Set();
        Assert.Equal(3, pending.Get());
        Assert.Equal(3, seen.Get(TimeSpan.FromSeconds(10)));
    });

    [Fact]
    public void Join_WithRaiseError_ReThrowsAMembersFailure() => HubTest.Run(() =>
    {
        Hub.Current.ErrorHandler = (_, _) => { };
        var group = new Group();
        group.Spawn(() => { });
        group.Spawn(() => throw new FormatException("member failed"));
        Assert.Throws<FormatException>(() => group.Join(null, raiseError: true));
        Assert.Empty(group);

        group.Spawn(() => throw new FormatException("ignored"));
        Assert.True(group.Join(null));
    });

    [Fact]
    public void KillOne_KillsOnlyThatMember() => HubTest.Run(() =>
    {
        var group = new Group();
        var first = group.Spawn(() => Greenlet.Sleep(Timeout.InfiniteTimeSpan));
        var second = group.Spawn(() => Greenlet.Sleep(Timeout.InfiniteTimeSpan));
        Greenlet.Yield();
        group.KillOne(first);
        Assert.True(first.Dead);
        Assert.False(second.Dead);
        Assert.Equal([second], group.ToList());
        group.Kill();
        Assert.Empty(group);
    });
}
