using Microsoft.Extensions.Logging;

namespace Gevent;

/// <summary>The default logging: one line per entry on standard error, Information and above; no dependency beyond the abstractions.</summary>
internal sealed class StandardErrorLoggerFactory : ILoggerFactory
{
    public static StandardErrorLoggerFactory Instance { get; } = new();

    private StandardErrorLoggerFactory()
    {
        // Format one message into nowhere now: the formatter loads assemblies on first use, and the entry
        // that matters most (out of file descriptors) would find none left to load them with.
        new StandardErrorLogger("Gevent", write: false).LogInformation("{Ready}", true);
    }

    public ILogger CreateLogger(string categoryName) => new StandardErrorLogger(categoryName, write: true);

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("The default Gevent logger writes to standard error only; assign GeventLogging.LoggerFactory a factory of your own to use providers.");

    public void Dispose()
    {
    }

    private sealed class StandardErrorLogger(string category, bool write) : ILogger
    {
        // Opened now, while descriptors are to be had: the entries that matter most (running out of them) come later.
        private readonly TextWriter _error = Console.Error;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            try
            {
                var line = $"{logLevel}: {category}{HubOf(state)}: {formatter(state, exception)}";
                if (write)
                {
                    _error.WriteLine(exception is null ? line : $"{line}{Environment.NewLine}{exception}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                // Logging must never fail its caller: out of descriptors, even formatting may not load its code.
            }
        }

        /// <summary>" (hub 2)" for an entry tagged by <see cref="HubTaggingLogger"/>, else nothing.</summary>
        private static string HubOf<TState>(TState state) =>
            state is IReadOnlyList<KeyValuePair<string, object?>> { Count: > 0 } fields && fields[0].Key == GeventMetrics.HubTag ? $" (hub {fields[0].Value})" : "";
    }
}
