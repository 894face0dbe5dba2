using Gevent.Tests.Configuration;

namespace Gevent.Tests.Greenlets.Threads;

/// <summary>
/// A greenlet that cannot get a thread at its first run waits for one instead of failing (<c>ThreadStartRetries</c>):
/// found when a server out of descriptors failed its new connections' greenlets and reset those clients.
/// </summary>
public class ThreadStartRetryTests
{
    [Fact]
    public void AGreenletStartedWhileNoThreadCanBeCreatedRunsOnceDescriptorsAreBack()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var (exitCode, output, error) = GeventConfigTests.RunProbe("start-without-descriptors");

        Assert.True(exitCode == 0, $"the probe exited with {exitCode}: {output}{error}");
        Assert.Contains("ran while out of descriptors: False", output);
        Assert.Contains("result: ran", output);
        Assert.Contains("Could not create a thread for greenlet", error);
        Assert.Contains("its start is retried", error);
    }
}
