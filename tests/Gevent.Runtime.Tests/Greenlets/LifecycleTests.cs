namespace Gevent.Tests.Greenlets;

public class LifecycleTests
{
    [Fact]
    public void StatesBeforeStartAfterStartAndAtTheEnd()
    {
        HubTest.Run(() =>
        {
            var greenlet = new Greenlet(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(5)));
            Assert.False(greenlet.Started);
            Assert.False(greenlet.Ready);
            Assert.False(greenlet.Dead);
            Assert.False(greenlet.Successful);

            greenlet.Start();
            Assert.True(greenlet.Started);
            Assert.False(greenlet.Dead);

            Greenlet.Yield();
            Assert.True(greenlet.Started);
            Assert.False(greenlet.Dead);

            Assert.True(greenlet.Join());
            Assert.True(greenlet.Dead);
            Assert.True(greenlet.Ready);
            Assert.True(greenlet.Successful);
            Assert.Null(greenlet.Exception);
        });
    }

    [Fact]
    public void StartingTwiceRunsOnce()
    {
        HubTest.Run(() =>
        {
            var runs = 0;
            var greenlet = new Greenlet(() => runs++);
            greenlet.Start();
            greenlet.Start();
            greenlet.Join();
            greenlet.Start();
            Greenlet.Yield();
            Assert.Equal(1, runs);
        });
    }

    [Fact]
    public void AnExceptionEndsTheGreenletIsReportedAndRethrownOnlyByGet()
    {
        HubTest.Run(() =>
        {
            var errors = HubTest.CaptureErrors();
            var greenlet = Greenlet.Spawn<int>(ThrowFromNamedMethod);
            Assert.True(greenlet.Join());
            Assert.True(greenlet.Dead);
            Assert.False(greenlet.Successful);
            var failure = Assert.IsType<FormatException>(greenlet.Exception);
            Assert.Equal("bad input", failure.Message);

            var (reported, exception) = Assert.Single(errors);
            Assert.Same(greenlet, reported);
            Assert.Same(failure, exception);

            var rethrown = Assert.Throws<FormatException>(() => greenlet.Get());
            Assert.Same(failure, rethrown);
            Assert.Contains(nameof(ThrowFromNamedMethod), rethrown.StackTrace);
        });
    }

    [Fact]
    public void GetOnAnActionGreenletRethrowsItsException()
    {
        HubTest.Run(() =>
        {
            HubTest.CaptureErrors();
            var greenlet = Greenlet.Spawn(() => throw new InvalidDataException("broken"));
            var thrown = Assert.Throws<InvalidDataException>(() => greenlet.Get());
            Assert.Equal("broken", thrown.Message);
        });
    }

    [Fact]
    public void GetWithATimeoutThrowsAGreenTimeoutException()
    {
        HubTest.Run(() =>
        {
            var greenlet = Greenlet.Spawn(() =>
            {
                Greenlet.Sleep(TimeSpan.FromSeconds(30));
                return 1;
            });
            var thrown = Assert.Throws<GreenTimeoutException>(() => greenlet.Get(TimeSpan.FromMilliseconds(20)));
            Assert.Equal(TimeSpan.FromMilliseconds(20), thrown.Timeout.After);
            Assert.False(greenlet.Dead);
            greenlet.Kill();
        });
    }

    [Fact]
    public void NamesDefaultToTheIdAndCanBeSet()
    {
        HubTest.Run(() =>
        {
            var greenlet = new Greenlet(() => { });
            Assert.Equal($"Greenlet-{greenlet.Id}", greenlet.Name);
            greenlet.Name = "worker";
            Assert.Equal("worker", greenlet.Name);
            Assert.Throws<ArgumentNullException>(() => greenlet.Name = null!);
        });
    }

    [Fact]
    public void LiveCountFollowsStartAndDeath()
    {
        HubTest.Run(() =>
        {
            var hub = Hub.Current;
            var gate = true;
            var unstarted = new Greenlet(() => { });
            Assert.Single(hub.Live);
            var greenlets = Enumerable.Range(0, 20).Select(_ => Greenlet.Spawn(() =>
            {
                while (gate)
                {
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
                }
            })).ToList();

            // This hub's own count is exact (the process-wide LiveCount also moves with parallel tests).
            Assert.Equal(21, hub.Live.Count);
            Assert.True(Greenlet.LiveCount >= 20);
            Assert.DoesNotContain(unstarted, hub.Live);
            gate = false;
            Greenlet.JoinAll(greenlets);
            Assert.All(greenlets, g => Assert.True(g.Dead));
            Assert.Equal([hub.MainGreenlet], hub.Live);
        });
    }

    private static int ThrowFromNamedMethod() => throw new FormatException("bad input");
}
