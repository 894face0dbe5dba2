using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gevent.PinReport;

/// <summary>
/// Wraps the runtime's logger factory: the <c>Gevent.Pins</c> category is enabled at debug level and its entries go
/// to a <see cref="PinSiteLog"/> (not to the app's output); every other category goes to the wrapped factory.
/// </summary>
internal sealed class PinCapturingLoggerFactory(ILoggerFactory inner, PinSiteLog sites) : ILoggerFactory
{
    private const string PinsCategory = "Gevent.Pins";

    public ILogger CreateLogger(string categoryName) => categoryName == PinsCategory ? new PinLogger(sites) : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class PinLogger(PinSiteLog sites) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel == LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values
                && values.FirstOrDefault(v => v.Key == "Reason").Value is { } reason
                && values.FirstOrDefault(v => v.Key == "Stack").Value is StackTrace stack)
            {
                sites.Add(reason.ToString()!, stack);
            }
        }
    }
}
