using Microsoft.Extensions.Logging;

namespace Gevent.Tests.Diagnostics;

/// <summary>A logger factory whose loggers throw on every entry, as one writing to a closed sink would; counts the attempts.</summary>
internal sealed class FailingLoggerFactory : ILoggerFactory
{
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    public ILogger CreateLogger(string categoryName) => new FailingLogger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class FailingLogger(FailingLoggerFactory factory) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Interlocked.Increment(ref factory._attempts);
            throw new IOException("the log's sink is closed");
        }
    }
}
