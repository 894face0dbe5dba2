using Microsoft.Extensions.Logging;

namespace Gevent;

/// <summary>
/// Where the runtime logs: greenlet failures (the default <see cref="Hub.ErrorHandler"/>), blocking
/// reports of <see cref="Hub.Monitor"/>, and the servers. Plain standard error unless a program assigns
/// its own <see cref="ILoggerFactory"/> (for example the one from its dependency injection container).
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

    internal static ILogger CreateLogger(string category) => LoggerFactory.CreateLogger(category);
}
