namespace Gevent.Tests.Diagnostics;

public class RunInfoTests
{
    [Fact]
    public void RunInfoShowsTheSpawnTreeStatesAndWhatEachWaitsOn()
    {
        HubTest.Run(() =>
        {
            Greenlet? grandchild = null;
            var sleeping = new GreenEvent();
            var parent = Greenlet.Spawn(() =>
            {
                grandchild = Greenlet.Spawn(() =>
                {
                    sleeping.Set();
                    Greenlet.Sleep(TimeSpan.FromSeconds(30));
                });
                grandchild.Name = "grandchild";
                grandchild.Join();
            });
            parent.Name = "parent";
            var unstarted = Greenlet.SpawnLater(TimeSpan.FromSeconds(30), () => { });
            unstarted.Name = "later";
            // Woken by the grandchild, which parks in its sleep before this greenlet runs again.
            Assert.True(sleeping.Wait(TimeSpan.FromSeconds(20)));

            var info = Hub.Current.FormatRunInfo();
            var lines = info.Split(Environment.NewLine);
            Assert.StartsWith($"Hub {Hub.Current.Id}", lines[0]);
            Assert.Contains("4 greenlets alive", lines[0]);
            Assert.Contains(lines, l => l == $"+ {Greenlet.Current.Name}: running");
            Assert.Contains(lines, l => l == "  + parent: waiting on Join(grandchild)");
            Assert.Contains(lines, l => l == "    + grandchild: waiting on Sleep()");
            Assert.Contains(lines, l => l == "  + later: scheduled, not started yet");

            Greenlet.KillAll([grandchild!, parent, unstarted]);
            Assert.Contains("1 greenlets alive", Hub.Current.FormatRunInfo());
        });
    }

    [Fact]
    public void RunInfoIsOnlyForTheHubsOwnGreenlets()
    {
        Hub? hub = null;
        HubTest.Run(() => hub = Hub.Current);
        Assert.Throws<InvalidOperationException>(() => hub!.FormatRunInfo());
    }
}
