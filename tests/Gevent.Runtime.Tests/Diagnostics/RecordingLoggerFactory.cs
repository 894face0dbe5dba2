using Microsoft.Extensions.Logging;

namespace Gevent.Tests.Diagnostics;

/// <summary>
/// A logger factory that keeps every entry its loggers are given, with the fields of its state, from any thread;
/// its loggers are enabled from <see cref="MinimumLevel"/> up.
/// </summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory
{
    private readonly List<RecordedEntry> _entries = [];

    public LogLevel MinimumLevel { get; init; } = LogLevel.Trace;

    public IReadOnlyList<RecordedEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> with this factory as <see cref="GeventLogging.LoggerFactory"/>, then puts the previous one back.</summary>
    public void Around(Action body)
    {
        var original = GeventLogging.LoggerFactory;
        GeventLogging.LoggerFactory = this;
        try
        {
            body();
        }
        finally
        {
            GeventLogging.LoggerFactory = original;
        }
    }

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class RecordingLogger(RecordingLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= factory.MinimumLevel;

        // Keeps whatever it is given, enabled or not: a test can then see an entry that should not have reached it.
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IReadOnlyList<KeyValuePair<string, object?>> list ? list.ToList() : [];
            lock (factory._entries)
            {
                factory._entries.Add(new RecordedEntry(category, logLevel, formatter(state, exception), exception, fields));
            }
        }
    }
}
