using Microsoft.Extensions.Logging;

namespace Gevent;

/// <summary>
/// Wraps a logger so that an entry written from a greenlet carries its hub's <see cref="Hub.Id"/> as the
/// <see cref="GeventMetrics.HubTag"/> field of its state, the tag of the <c>gevent.hub.*</c> metrics; an entry from
/// a thread that carries no greenlet passes unchanged. A field rather than a logging scope: providers record a
/// state's fields without being configured to (scopes need <c>IncludeScopes</c>), and a scope is ambient state of
/// the <c>ExecutionContext</c>, which follows neither a hub nor a stackless greenlet from carrier to carrier.
/// </summary>
/// <param name="inner">Where the entries go.</param>
/// <param name="about">The hub every entry is tagged with, for one written about a hub from elsewhere (the monitor); null to tag by the calling greenlet's hub.</param>
internal sealed class HubTaggingLogger(ILogger inner, Hub? about = null) : ILogger
{
    /// <summary>This logger, with every entry tagged with <paramref name="hub"/> wherever it is written.</summary>
    public HubTaggingLogger About(Hub hub) => new(inner, hub);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        // Disabled, the entry costs one check, as it would unwrapped: nothing is allocated to tag an entry no one keeps.
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        if ((about ?? Hub.CurrentGreenletOrNull?.Hub) is not { } hub)
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        inner.Log(logLevel, eventId, new HubTaggedState<TState>(state, hub.Id, formatter), exception, static (tagged, e) => tagged.Format(e));
    }
}
