using System.Diagnostics;

namespace Gevent.Bench;

/// <summary>
/// "Greenlets alive at the safe limit": spawns sleeping greenlets until <see cref="GreenletLimitExceededException"/>,
/// checks they really were alive (each parked on its own thread) and that the process carried on, then kills them all.
/// Must run on a hub thread.
/// </summary>
internal static class GreenletLimitProbe
{
    // Let each batch start and park before spawning more, so the count is of live, parked greenlets.
    private const int Batch = 500;

    /// <param name="Limit">GeventConfig.Current.MaxGreenlets.</param>
    /// <param name="Spawned">Sleeping greenlets spawned before the exception.</param>
    /// <param name="LiveAtLimit">Greenlet.LiveCount when the exception came (all live greenlets of the process).</param>
    /// <param name="Exception">The exception Spawn threw, or null if none came within the limit plus a margin.</param>
    /// <param name="LiveAfterKill">Greenlet.LiveCount once all were killed.</param>
    /// <param name="Elapsed">Time to spawn, park and kill them all.</param>
    public sealed record Result(int Limit, int Spawned, int LiveAtLimit, GreenletLimitExceededException? Exception, int LiveAfterKill, TimeSpan Elapsed);

    public static Result Run()
    {
        var limit = GeventConfig.Current.MaxGreenlets;
        var clock = Stopwatch.StartNew();
        var sleepers = new List<Greenlet>(limit);
        GreenletLimitExceededException? refused = null;
        var live = 0;

        // Bounded: past the limit plus one batch without an exception, the limit is not enforced; stop.
        while (refused is null && sleepers.Count < limit + Batch)
        {
            try
            {
                sleepers.Add(Greenlet.Spawn(static () => Greenlet.Sleep(Timeout.InfiniteTimeSpan)));
            }
            catch (GreenletLimitExceededException exception)
            {
                refused = exception;
            }

            if (refused is not null || sleepers.Count % Batch == 0)
            {
                Greenlet.Yield();
                live = Greenlet.LiveCount;
            }
        }

        Greenlet.KillAll(sleepers);
        return new Result(limit, sleepers.Count, live, refused, Greenlet.LiveCount, clock.Elapsed);
    }
}
