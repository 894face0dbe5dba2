using System.Diagnostics;
using System.Net.Sockets;
using Gevent.Patches;
using static Gevent.Weaver.Tests.Resumable.LoopbackSockets;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// A thousand woven greenlets parked at once, each waiting on its own loopback connection or handle: they must hold no
/// thread each, park stacklessly, and die at a kill with their finally blocks run. Shared by the socket, stream and
/// handle wait tests.
/// </summary>
internal static class ThousandParkedWaiters
{
    private const int Count = 1_000;

    /// <summary>
    /// A <c>spawn</c> for <see cref="AssertStacklessAndKilled"/> whose waiters read streams: half a patched code's
    /// stream, half a plain one made by code that was not patched.
    /// </summary>
    public static Func<Socket, int, List<string>, Greenlet> OverNetworkStreams(Func<Stream, List<string>, Greenlet> spawnReader) =>
        (accepted, index, log) => spawnReader(index % 2 == 0 ? new GreenNetworkStream(accepted) : new NetworkStream(accepted), log);

    /// <param name="spawn">Spawns the woven waiter of one accepted connection (its index given), logging "finally" as it ends.</param>
    /// <param name="what">What the waiters are, for failure messages.</param>
    /// <param name="wovenFrame">A woven method that must be in a killed waiter's stack trace.</param>
    public static void AssertStacklessAndKilled(Func<Socket, int, List<string>, Greenlet> spawn, string what, string wovenFrame) =>
        AssertStacklessAndKilled(
            () =>
            {
                var listener = Listener(backlog: Count);
                var pairs = Enumerable.Range(0, Count).Select(_ => Pair(listener)).ToList();
                return (
                    (index, log) => spawn(pairs[index].Accepted, index, log),
                    () =>
                    {
                        foreach (var (client, accepted) in pairs)
                        {
                            client.Dispose();
                            accepted.Dispose();
                        }

                        listener.Dispose();
                    });
            },
            "a socket to become readable",
            what,
            wovenFrame);

    /// <param name="open">
    /// Called in the hub before the waiters start: what they wait on, and <c>Spawn</c>, which spawns the woven waiter of
    /// the given index, logging "finally" as it ends; <c>Close</c> disposes of it all at the end.
    /// </param>
    /// <param name="waitingOn">What run info says each waiter waits on.</param>
    /// <param name="what">What the waiters are, for failure messages.</param>
    /// <param name="wovenFrame">A woven method that must be in a killed waiter's stack trace.</param>
    public static void AssertStacklessAndKilled(
        Func<(Func<int, List<string>, Greenlet> Spawn, Action Close)> open, string waitingOn, string what, string wovenFrame)
    {
        var log = new List<string>();
        HubTest.Run(() =>
        {
            var (spawn, close) = open();
            try
            {
                var before = Process.GetCurrentProcess().Threads.Count;
                var waiters = new List<Greenlet>(Count);
                for (var index = 0; index < Count; index++)
                {
                    waiters.Add(spawn(index, log));
                    if (waiters.Count == 100)
                    {
                        // Should they regress to thread-backed or pinned greenlets, stop at 100 rather than start 1,000 threads.
                        Greenlet.Yield();
                        if (Process.GetCurrentProcess().Threads.Count - before >= 50)
                        {
                            Greenlet.KillAll(waiters);
                            Assert.Fail($"100 {what} hold a thread each: they are not stackless");
                        }
                    }
                }

                Greenlet.Yield();
                var during = Process.GetCurrentProcess().Threads.Count - before;
                var info = Hub.Current.FormatRunInfo();
                // A waiter that tries again now and then (a handle's) may be between a wake and its try: ready, no thread either.
                var parked = info.Split('\n').Count(l =>
                    l.Contains($"waiting on {waitingOn}, stackless", StringComparison.Ordinal)
                    || l.Contains($"ready (woken from {waitingOn}), stackless", StringComparison.Ordinal));
                var killed = waiters[1];
                killed.Kill(new TimeoutException("stop"));
                Greenlet.KillAll(waiters);

                // No other test runs meanwhile; a margin for the runtime's own threads, far below one per greenlet.
                Assert.True(during < 50, $"{during} threads more with {Count} {what} parked");
                Assert.Equal(Count, parked);
                Assert.DoesNotContain("pins:", info, StringComparison.Ordinal);
                Assert.Equal("stop", Assert.IsType<TimeoutException>(killed.Exception).Message);
                Assert.Contains(wovenFrame, killed.Exception!.StackTrace, StringComparison.Ordinal);
                Assert.All(waiters, g => Assert.True(g.Dead));
            }
            finally
            {
                close();
            }
        }, timeoutSeconds: 120);

        // Killed while waiting: none read, every finally block ran.
        Assert.Equal(Enumerable.Repeat("finally", Count), log);
    }
}
