namespace Gevent.Tests.Common;

/// <summary>The backoff step the runtime's polls and retries share (a wait's looks, a lock's polls, accept errors).</summary>
public class DurationsTests
{
    [Fact]
    public void DoubledDoublesEachStepUpToTheLongest()
    {
        var steps = new List<TimeSpan>();
        var step = TimeSpan.FromMilliseconds(50);
        for (var i = 0; i < 7; i++)
        {
            steps.Add(step);
            step = Durations.Doubled(step, TimeSpan.FromSeconds(1));
        }

        Assert.Equal([50, 100, 200, 400, 800, 1000, 1000], steps.Select(s => s.TotalMilliseconds));
    }

    [Theory]
    [InlineData(500, 1000, 1000)]
    [InlineData(499, 1000, 998)]
    [InlineData(1000, 1000, 1000)]
    [InlineData(3000, 1000, 1000)]
    public void DoubledNeverPassesTheLongest(int currentMs, int longestMs, int expectedMs) =>
        Assert.Equal(
            TimeSpan.FromMilliseconds(expectedMs),
            Durations.Doubled(TimeSpan.FromMilliseconds(currentMs), TimeSpan.FromMilliseconds(longestMs)));
}
