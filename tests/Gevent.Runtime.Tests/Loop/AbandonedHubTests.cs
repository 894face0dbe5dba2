namespace Gevent.Tests.Loop;

[Collection(SequentialCollection.Name)]
public class AbandonedHubTests
{
    [Fact]
    public void AnAbandonedHubReleasesItsDescriptors()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;
        for (var i = 0; i < 5; i++)
        {
            HubTest.Run(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(1)));
        }

        Collect();
        var before = OpenDescriptors();
        for (var i = 0; i < 50; i++)
        {
            HubTest.Run(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(1)));
        }

        Collect();

        // Each hub held two (epoll and eventfd, or a socket): fifty leaked hubs would show a hundred.
        Assert.InRange(OpenDescriptors() - before, -1000, 20);

        static void Collect()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
    }
}
