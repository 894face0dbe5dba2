using Gevent.AspNetCore.Scheduling;

namespace Gevent.AspNetCore.Tests.Scheduling;

/// <summary>
/// Work posted to a request hub while it is being disposed still runs, exactly once: a request's continuation
/// that runs nowhere leaves its request hanging until the host's shutdown timeout.
/// </summary>
public sealed class RequestHubDisposalTests
{
    private const int Rounds = 10;
    private const int MostPostsPerPoster = 2_000;

    [Fact]
    public void WorkPostedWhileTheHubIsDisposed_RunsExactlyOnce()
    {
        for (var round = 0; round < Rounds; round++)
        {
            var hubs = new RequestHubs(1);
            var hub = hubs.Next();
            var request = new RequestGreenlets(hub, executionContext: null);
            var ran = new int[2 * MostPostsPerPoster];
            var posted = new int[2];
            using var started = new CountdownEvent(2);

            // A request that unwinds slowly when the hub kills it keeps the hub disposing, with posts still accepted,
            // for as long as posters need to land some in that state.
            request.Post(static _ =>
            {
                try
                {
                    Greenlet.Sleep(Timeout.InfiniteTimeSpan);
                }
                finally
                {
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(20));
                }
            }, null);

            var posters = Enumerable.Range(0, 2).Select(poster => new Thread(() =>
            {
                started.Signal();
                // Posting goes on until the hub is gone, so some posts race each step of its disposal.
                for (var i = 0; i < MostPostsPerPoster && !hub.Hub.IsDisposed; i++, posted[poster]++)
                {
                    // Each post counts in a slot of its own, so a lost or a doubled run shows.
                    request.Post(static state =>
                    {
                        var (ran, slot) = ((int[], int))state!;
                        Interlocked.Increment(ref ran[slot]);
                    }, (ran, poster * MostPostsPerPoster + i));
                }
            })).ToArray();
            foreach (var poster in posters)
            {
                poster.Start();
            }

            started.Wait();
            hubs.Dispose();
            foreach (var poster in posters)
            {
                Assert.True(poster.Join(TimeSpan.FromSeconds(30)), "a poster hung");
            }

            var deadline = DateTime.UtcNow.AddSeconds(30);
            var expected = Enumerable.Range(0, 2).SelectMany(poster => Enumerable.Range(poster * MostPostsPerPoster, posted[poster])).ToArray();
            while (expected.Any(slot => ran[slot] == 0) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }

            Assert.All(expected, slot => Assert.Equal(1, ran[slot]));
            Assert.Equal(expected.Length, ran.Sum());
        }
    }
}
