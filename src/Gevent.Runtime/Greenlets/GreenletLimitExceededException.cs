namespace Gevent;

/// <summary>
/// Spawning would take the process past <see cref="GeventConfig.MaxGreenlets"/> live greenlets. Each
/// greenlet runs on an OS thread; past the system's limits the process would abort, so it is refused.
/// </summary>
public sealed class GreenletLimitExceededException : InvalidOperationException
{
    /// <summary>Creates the exception for a process holding <paramref name="limit"/> live greenlets.</summary>
    public GreenletLimitExceededException(int limit)
        : base($"Cannot start another greenlet: {limit} are alive, the limit (GEVENT_MAX_GREENLETS). " +
               $"Each greenlet runs on its own OS thread, and past {SystemLimits.GreenletCeiling} this system would abort the process ({SystemLimits.Describe()}). " +
               "Bound concurrency with a Pool, or wait for greenlets to finish.")
    {
        Limit = limit;
    }

    /// <summary>The limit in force.</summary>
    public int Limit { get; }
}
