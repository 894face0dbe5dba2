using Microsoft.Extensions.Logging;

namespace Gevent;

/// <summary>
/// The logger of one category from whichever factory <see cref="GeventLogging.LoggerFactory"/> is when an entry
/// is written: a logger kept in a static field sees a replaced factory, yet is not created again at every entry.
/// </summary>
internal sealed class CurrentFactoryLogger : ILogger
{
    private readonly string _category;
    private Created _created;

    /// <summary>
    /// Creates the category's logger from the present factory at once, not at the first entry: the entries that matter
    /// most (a server out of file descriptors) come when nothing is left to open or load, and creating a logger may need
    /// both (a test of that server failed when the first entry created it).
    /// </summary>
    public CurrentFactoryLogger(string category)
    {
        _category = category;
        _created = Create(GeventLogging.LoggerFactory, category);
    }

    private ILogger Inner
    {
        get
        {
            var factory = GeventLogging.LoggerFactory;
            var created = Volatile.Read(ref _created);
            if (created.Factory != factory)
            {
                // Two threads racing here both create one; either is right.
                created = Create(factory, _category);
                Volatile.Write(ref _created, created);
            }

            return created.Logger;
        }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => Inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => Inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Inner.Log(logLevel, eventId, state, exception, formatter);

    private static Created Create(ILoggerFactory factory, string category) => new(factory, factory.CreateLogger(category));

    private sealed record Created(ILoggerFactory Factory, ILogger Logger);
}
