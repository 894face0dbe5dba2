using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gevent.AspNetCore.Tests;

/// <summary>
/// A logger provider that keeps every message with the scopes active when it was logged. Being enabled at every level,
/// it also makes ASP.NET Core's hosting start an Activity and a logging scope for each request.
/// </summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <summary>Everything logged so far.</summary>
    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>A message and the scopes it was logged in, outermost first, each as its text.</summary>
    internal sealed record Entry(string Message, IReadOnlyList<string> Scopes);

    private sealed class Logger(CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<string>();
            provider._scopes.ForEachScope(static (scope, list) => list.Add(scope?.ToString() ?? ""), scopes);
            provider.Entries.Enqueue(new Entry(formatter(state, exception), scopes));
        }
    }
}
