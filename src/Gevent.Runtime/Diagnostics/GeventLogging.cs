using Microsoft.Extensions.Logging;

namespace Gevent;

/// <summary>
/// Where the runtime logs: greenlet failures (the default <see cref="Hub.ErrorHandler"/>), blocking
/// reports of <see cref="Hub.Monitor"/>, and the servers. Plain standard error unless a program assigns
/// its own <see cref="ILoggerFactory"/> (for example the one from its dependency injection container).
/// An entry written on a hub (or, from the monitor, about one) carries the hub's <see cref="Hub.Id"/> as a
/// field of its state named <see cref="GeventMetrics.HubTag"/>, the tag of the hub's metrics; the default
/// logger prints it after the category.
/// </summary>
public static class GeventLogging
{
    private static ILoggerFactory s_factory = StandardErrorLoggerFactory.Instance;

    /// <summary>The factory the runtime creates its loggers from; may be replaced at any time.</summary>
    public static ILoggerFactory LoggerFactory
    {
        get => Volatile.Read(ref s_factory);
        set => Volatile.Write(ref s_factory, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The runtime's logger for <paramref name="category"/>: follows <see cref="LoggerFactory"/>, tags by hub.</summary>
    internal static HubTaggingLogger CreateLogger(string category) => new(new CurrentFactoryLogger(category));

    /// <summary>A program's own logger (a server's option), tagged by hub as the runtime's are.</summary>
    internal static ILogger TagByHub(ILogger logger) => logger as HubTaggingLogger ?? new HubTaggingLogger(logger);
}
