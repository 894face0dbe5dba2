namespace Gevent.Tests.Hubs;

public class CrossHubEventTests
{
    [Fact]
    public void ASet_WakesGreenletsOfEveryHubAndPlainThreads() => HubTest.OnPlainThread(() =>
    {
        using var group = HubGroup.Start(2);
        var ready = new CrossHubEvent();
        const int perHub = 5;
        const int threads = 3;
        using var waiting = new CountdownEvent(group.Count * perHub + threads);

        var greenletWaits = Enumerable.Range(0, group.Count).Select(i => group.SpawnAsync(i, () =>
        {
            var waits = Enumerable.Range(0, perHub).Select(_ => Greenlet.Spawn(() =>
            {
                waiting.Signal();
                return ready.Wait(TimeSpan.FromSeconds(30));
            })).ToList();
            return waits.Select(w => w.Get()).ToList();
        })).ToList();
        var threadWaits = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() =>
        {
            waiting.Signal();
            return ready.Wait(TimeSpan.FromSeconds(30));
        }, TaskCreationOptions.LongRunning)).ToList();

        Assert.True(waiting.Wait(TimeSpan.FromSeconds(30)));
        Assert.False(ready.IsSet);
        ready.Set();

        Assert.All(greenletWaits, w => Assert.All(w.Result, Assert.True));
        Assert.All(threadWaits, w => Assert.True(w.Result));
        Assert.True(ready.Wait(TimeSpan.Zero), "a set event lets later waits through");
        ready.Clear();
        Assert.False(ready.Wait(TimeSpan.Zero));
    });

    [Fact]
    public void AGreenletWaitingOnAnotherHubsSet_DoesNotBlockItsHub() => HubTest.Run(() =>
    {
        using var group = HubGroup.Start(1);
        var done = new CrossHubEvent();
        using var ticker = new Ticker();

        _ = group.SpawnAsync(0, () =>
        {
            ticker.SleepWhileTicking(TimeSpan.FromMilliseconds(200));
            done.Set();
        });

        Assert.True(done.Wait(TimeSpan.FromSeconds(30)));
        ticker.AssertKeptRunning("while waiting on a CrossHubEvent set by another hub");
    });

    [Fact]
    public void AWait_TimesOutInAGreenletAndOnAThread() => HubTest.Run(() =>
    {
        var never = new CrossHubEvent();
        Assert.False(never.Wait(TimeSpan.FromMilliseconds(20)));
        Assert.False(Task.Run(() => never.Wait(TimeSpan.FromMilliseconds(20))).Result);
        Assert.Throws<ArgumentOutOfRangeException>(() => never.Wait(TimeSpan.FromSeconds(-2)));
    });

    [Fact]
    public void AKilledWaiter_LeavesTheEventUsable() => HubTest.Run(() =>
    {
        var never = new CrossHubEvent();
        var waiter = Greenlet.Spawn(() => never.Wait());
        Greenlet.Yield();
        waiter.Kill();
        Assert.True(waiter.Dead);

        never.Set();
        Assert.True(never.Wait(TimeSpan.Zero));
    });

    [Fact]
    public void InALoopCallback_AWaitIsRefused() => HubTest.Run(() =>
    {
        var never = new CrossHubEvent();
        Exception? refused = null;
        var ran = new GreenEvent();
        Hub.Current.Loop.RunCallback(() =>
        {
            refused = Record.Exception(() => never.Wait(TimeSpan.FromSeconds(1)));
            ran.Set();
        });
        Assert.True(ran.Wait(TimeSpan.FromSeconds(30)));
        Assert.IsType<InvalidOperationException>(refused);
        Assert.Contains("loop callback", refused.Message);
    });
}
