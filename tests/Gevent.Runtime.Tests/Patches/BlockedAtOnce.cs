using System.Diagnostics;
using Gevent.Tests.Patches.Sockets;

namespace Gevent.Tests.Patches;

/// <summary>
/// The shared check for a blocking API: twenty greenlets blocked in it at once all finish about one period
/// after they are released together while another greenlet keeps ticking; a kill and a timeout interrupt
/// it with cleanup, and the same object can be waited on again afterwards.
/// </summary>
internal static class BlockedAtOnce
{
    private const int Count = 20;
    // Long enough that a scheduling stall on a loaded machine cannot starve the 5 ms ticker below its bar.
    private static readonly TimeSpan s_period = TimeSpan.FromMilliseconds(200);

    /// <summary>One object to block on: <see cref="Block"/> waits until <see cref="Release"/> is called (once).</summary>
    public sealed class Subject(Action block, Action release, params IDisposable[] resources) : IDisposable
    {
        public Action Block { get; } = block;

        public Action Release { get; } = release;

        /// <summary>The state of what is blocked on, for a failure's message (a process: whether it has exited).</summary>
        public Func<string> Describe { get; init; } = () => "";

        public void Dispose()
        {
            foreach (var resource in resources)
            {
                resource.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs the check; <paramref name="reusable"/> false skips waiting again after the interruptions, for offloaded
    /// calls whose interrupted runs still finish on their pool threads.
    /// </summary>
    public static void Check(Func<Subject> create, int count = Count, bool reusable = true)
    {
        HubTest.Run(() =>
        {
            var subjects = Enumerable.Range(0, count).Select(_ => create()).ToList();
            var extra = create();
            try
            {
                using (var ticker = new Ticker())
                {
                    var blocked = subjects.Select(s => Greenlet.Spawn(s.Block)).ToList();
                    Greenlet.Yield();
                    Assert.All(blocked, g => Assert.False(g.Dead));
                    ticker.SleepWhileTicking(s_period);
                    Assert.All(blocked, g => Assert.False(g.Dead));
                    var sinceRelease = Stopwatch.StartNew();
                    subjects.ForEach(s => s.Release());
                    var ended = Greenlet.JoinAll(blocked, SocketKit.Generous, throwOnError: true).Count;
                    Assert.True(ended == count, $"{ended} of {count} ended after the release; {StillBlocked(blocked, subjects)}");
                    Assert.InRange(sinceRelease.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
                    ticker.AssertKeptRunning($"while {count} greenlets were blocked");
                }

                var cleaned = false;
                var killed = Greenlet.Spawn(() =>
                {
                    try
                    {
                        extra.Block();
                    }
                    finally
                    {
                        cleaned = true;
                    }
                });
                Greenlet.Yield();
                killed.Kill();
                Assert.True(cleaned && killed.Successful);
                Assert.False(GreenTimeout.TryRun(TimeSpan.FromMilliseconds(20), extra.Block));
                if (!reusable)
                {
                    return;
                }

                var again = Greenlet.Spawn(extra.Block);
                Greenlet.Yield();
                Assert.False(again.Dead);
                extra.Release();
                Assert.True(again.Join(SocketKit.Generous), $"waiting again did not end after the release; {StillBlocked([again], [extra])}");
                Assert.True(again.Successful, again.Exception?.ToString());
            }
            finally
            {
                subjects.ForEach(s => s.Dispose());
                extra.Dispose();
            }
        });
    }

    /// <summary>Which greenlets are still blocked, what each waits on, and the state of its subject.</summary>
    private static string StillBlocked(IReadOnlyList<Greenlet> greenlets, IReadOnlyList<Subject> subjects) =>
        "still blocked: " + string.Join("; ", greenlets.Select((g, i) => (g, i)).Where(p => !p.g.Dead)
            .Select(p => $"#{p.i} {p.g.State} waiting on {p.g.WaitingOn} ({subjects[p.i].Describe()})"));
}
