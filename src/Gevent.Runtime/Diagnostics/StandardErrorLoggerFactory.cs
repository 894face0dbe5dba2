using Microsoft.Extensions.Logging;

namespace Gevent;

/// <summary>The default logging: one line per entry on standard error, Information and above; no dependency beyond the abstractions.</summary>
internal sealed class StandardErrorLoggerFactory : ILoggerFactory
{
    public static StandardErrorLoggerFactory Instance { get; } = new();

    public ILogger CreateLogger(string categoryName) => new StandardErrorLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("The default Gevent logger writes to standard error only; assign GeventLogging.LoggerFactory a factory of your own to use providers.");

    public void Dispose()
    {
    }

    private sealed class StandardErrorLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = $"{logLevel}: {category}: {formatter(state, exception)}";
            Console.Error.WriteLine(exception is null ? line : $"{line}{Environment.NewLine}{exception}");
        }
    }
}
