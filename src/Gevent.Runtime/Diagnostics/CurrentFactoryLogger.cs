using Microsoft.Extensions.Logging;

namespace Gevent;

/// <summary>
/// The logger of one category from whichever factory <see cref="GeventLogging.LoggerFactory"/> is when an entry
/// is written: a logger kept in a static field sees a replaced factory, yet is not created again at every entry.
/// </summary>
internal sealed class CurrentFactoryLogger(string category) : ILogger
{
    private Created? _created;

    private ILogger Inner
    {
        get
        {
            var factory = GeventLogging.LoggerFactory;
            var created = Volatile.Read(ref _created);
            if (created?.Factory != factory)
            {
                // Two threads racing here both create one; either is right.
                created = new Created(factory, factory.CreateLogger(category));
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

    private sealed record Created(ILoggerFactory Factory, ILogger Logger);
}
