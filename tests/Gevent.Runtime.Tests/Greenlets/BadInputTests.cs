namespace Gevent.Tests.Greenlets;

public class BadInputTests
{
    [Fact]
    public void NegativeDurationsThrowArgumentOutOfRange()
    {
        HubTest.Run(() =>
        {
            // -1 ms is Timeout.InfiniteTimeSpan, which .NET (and this API) reads as "no limit".
            var negative = TimeSpan.FromMilliseconds(-2);
            var sleeper = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromSeconds(30)));
            Assert.Throws<ArgumentOutOfRangeException>(() => Greenlet.Sleep(negative));
            Assert.Throws<ArgumentOutOfRangeException>(() => sleeper.Join(negative));
            Assert.Throws<ArgumentOutOfRangeException>(() => sleeper.Kill(timeout: negative));
            Assert.Throws<ArgumentOutOfRangeException>(() => Greenlet.SpawnLater(negative, () => { }));
            Assert.Throws<ArgumentOutOfRangeException>(() => Greenlet.JoinAll([sleeper], negative));
            Assert.Throws<ArgumentOutOfRangeException>(() => Greenlet.Wait(negative));
            Assert.Throws<ArgumentOutOfRangeException>(() => Greenlet.Wait([sleeper], count: -1));
            Assert.Throws<ArgumentOutOfRangeException>(() => Hub.Current.Loop.StartTimer(negative, () => { }));
            Assert.False(sleeper.Dead);
            sleeper.Kill();
        });
    }

    [Fact]
    public void NullDelegatesAreRejected()
    {
        HubTest.Run(() =>
        {
            Assert.Throws<ArgumentNullException>(() => Greenlet.Spawn((Action)null!));
            Assert.Throws<ArgumentNullException>(() => Greenlet.Spawn((Func<int>)null!));
            Assert.Throws<ArgumentNullException>(() => Greenlet.JoinAll(null!));
            Assert.Throws<ArgumentNullException>(() => Greenlet.Current.Link(null!));
        });
    }

    [Fact]
    public void JoiningTheCurrentGreenletIsAClearErrorNotADeadlock()
    {
        HubTest.Run(() =>
        {
            var thrown = Assert.Throws<InvalidOperationException>(() => Greenlet.Current.Join());
            Assert.Contains("cannot join itself", thrown.Message);

            Exception? inner = null;
            var greenlet = Greenlet.Spawn(() => inner = Record.Exception(() => Greenlet.Current.Join()));
            greenlet.Join();
            Assert.IsType<InvalidOperationException>(inner);
        });
    }

    [Fact]
    public void UsingAGreenletFromAnotherThreadNamesTheRule()
    {
        Greenlet? greenlet = null;
        HubTest.Run(() => greenlet = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromSeconds(30))));
        Assert.NotNull(greenlet);

        // A plain thread (xunit's) and a greenlet of another hub are both refused.
        var fromPlainThread = Assert.Throws<InvalidOperationException>(() => greenlet!.Join());
        Assert.Contains("only that hub's greenlets may use it", fromPlainThread.Message);
        Assert.Contains("not a greenlet", fromPlainThread.Message);

        HubTest.Run(() =>
        {
            Assert.NotSame(greenlet!.Hub, Hub.Current);
            var fromOtherHub = Assert.Throws<InvalidOperationException>(() => greenlet!.Kill());
            Assert.Contains($"belongs to hub {greenlet!.Hub.Id}", fromOtherHub.Message);
            Assert.Contains("a greenlet of hub", fromOtherHub.Message);
        });
    }

    [Fact]
    public void BlockingInsideALoopCallbackIsRefused()
    {
        HubTest.Run(() =>
        {
            var errors = HubTest.CaptureErrors();
            Hub.Current.Loop.RunCallback(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(1)));
            Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
            var (greenlet, exception) = Assert.Single(errors);
            Assert.Null(greenlet);
            Assert.Contains("inside a loop callback", exception.Message);
        });
    }
}
