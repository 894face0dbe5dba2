namespace Gevent.Tests.Greenlets;

public class LinkTests
{
    [Fact]
    public void AThousandLinksFireInTheOrderAdded()
    {
        HubTest.Run(() =>
        {
            var fired = new List<int>();
            var greenlet = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(1)));
            for (var i = 0; i < 1000; i++)
            {
                var index = i;
                greenlet.Link(_ => fired.Add(index));
            }

            greenlet.Join();
            Assert.True(Greenlet.Wait(TimeSpan.FromSeconds(30)));
            Assert.Equal(Enumerable.Range(0, 1000), fired);
        });
    }

    [Fact]
    public void LinkValueAndLinkExceptionFireOnlyForTheirOutcome()
    {
        HubTest.Run(() =>
        {
            HubTest.CaptureErrors();
            var log = new List<string>();
            var good = Greenlet.Spawn(() => 1);
            var bad = Greenlet.Spawn<int>(() => throw new InvalidOperationException("no"));
            foreach (var greenlet in new Greenlet[] { good, bad })
            {
                greenlet.LinkValue(g => log.Add($"value {g.Name}"));
                greenlet.LinkException(g => log.Add($"exception {g.Name}"));
            }

            Greenlet.Wait();
            Assert.Equal(2, log.Count);
            Assert.Contains($"value {good.Name}", log);
            Assert.Contains($"exception {bad.Name}", log);
        });
    }

    [Fact]
    public void ALinkAddedToADeadGreenletFiresSoon()
    {
        HubTest.Run(() =>
        {
            var greenlet = Greenlet.Spawn(() => { });
            greenlet.Join();
            Greenlet? linked = null;
            greenlet.Link(g => linked = g);
            Greenlet.Wait();
            Assert.Same(greenlet, linked);
        });
    }

    [Fact]
    public void UnlinkedCallbacksDoNotFire()
    {
        HubTest.Run(() =>
        {
            var fired = new List<string>();
            Action<Greenlet> removed = _ => fired.Add("removed");
            Action<Greenlet> kept = _ => fired.Add("kept");
            var greenlet = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(5)));
            greenlet.Link(removed);
            greenlet.Link(kept);
            greenlet.Unlink(removed);
            greenlet.Join();
            Greenlet.Wait();
            Assert.Equal(["kept"], fired);
        });
    }

    [Fact]
    public void ALinkRunsInItsOwnGreenletAndMayBlock()
    {
        HubTest.Run(() =>
        {
            Greenlet? runner = null;
            var finished = false;
            var greenlet = Greenlet.Spawn(() => { });
            greenlet.Link(_ =>
            {
                runner = Greenlet.Current;
                Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
                finished = true;
            });
            Greenlet.Wait();
            Assert.True(finished);
            Assert.NotNull(runner);
            Assert.NotSame(greenlet, runner);
            Assert.False(runner!.IsMain);
        });
    }
}
