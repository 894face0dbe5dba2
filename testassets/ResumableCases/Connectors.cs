using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ResumableCases;

/// <summary>
/// A connector made and then opened, as Npgsql's <c>UnpooledDataSource.Get</c> does: the constructor checks an enum
/// (<c>ToString</c> on it in a throw), starts a timer whose callback waits, makes a channel and a logger of its own type,
/// and none of these runs code of the set that waits inside it, so the constructor cannot suspend, its <c>newobj</c> is no
/// site, and the method around it links all its waits.
/// </summary>
public sealed class ConnectorRuns
{
    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public long Result { get; private set; }

    public void Run()
    {
        var connector = new Connector(Log);
        connector.Open();
        Log.Add("opened, " + connector.Phase);
        Result = (long)connector.Phase;
        connector.Dispose();
    }
}

/// <summary>Where a connector is.</summary>
public enum Phase
{
    /// <summary>Made.</summary>
    Made,

    /// <summary>Opened.</summary>
    Ready,
}

/// <summary>A type of the set with a constructor that starts a timer, a channel and a logger over itself.</summary>
public sealed class Connector : IServiceProvider, IDisposable
{
    private readonly List<string> _log;
    private readonly Timer _keepAlive;
    private readonly Channel<Connector> _pending;
    private readonly ILogger<Connector> _logger;
    private Phase _phase;
    private Phase _previous;

    public Connector(List<string> log)
    {
        _log = log;
        Phase = Phase.Made;
        _keepAlive = new Timer(KeepAlive, null, Timeout.Infinite, Timeout.Infinite);
        _pending = Channel.CreateUnbounded<Connector>();
        _logger = NullLoggerFactory.Instance.CreateLogger<Connector>();
        log.Add("made, " + _pending.Reader.Count + (_logger.IsEnabled(LogLevel.Debug) ? " logging" : " quiet"));
    }

    /// <summary>Where the connector is; an undefined value throws naming it, as Npgsql's <c>NpgsqlConnector.State</c> does.</summary>
    public Phase Phase
    {
        get => _phase;
        private set
        {
            if (value > Phase.Ready)
            {
                throw new ArgumentOutOfRangeException(nameof(value), "Unknown phase: " + value.ToString());
            }

            _phase = value;
        }
    }

    /// <summary>Waits twice, then is ready.</summary>
    public void Open()
    {
        GetService(typeof(Connector));
        GetService(typeof(Connector));
        _previous = _phase;
        Phase = Phase.Ready;
    }

    /// <summary>
    /// The hash of the phase or the previous one, picked by reference: where the two paths meet the receiver's type is not
    /// known, so the call graph cannot narrow the call to the enum's and only the enum rule tells it from a woven
    /// <c>GetHashCode</c> that waits (<see cref="ConstrainedRuns"/>'s).
    /// </summary>
    public int PhaseHash(bool previous) => (previous ? ref _previous : ref _phase).GetHashCode();

    /// <summary>Yields: the timer's callback and <see cref="Open"/> wait here.</summary>
    public object? GetService(Type serviceType)
    {
        _log.Add("waiting in " + _phase);
        Thread.Yield();
        return null;
    }

    /// <summary>The timer's callback: waits.</summary>
    private void KeepAlive(object? state) => GetService(typeof(Connector));

    /// <summary>Stops the timer.</summary>
    public void Dispose() => _keepAlive.Dispose();
}
