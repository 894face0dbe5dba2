using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Gevent.Servers;

/// <summary>
/// A TCP server (gevent's <c>StreamServer</c>): accepts connections and runs the handler for each in a greenlet of its
/// own, in plain blocking style. A handler's exception is logged and its connection closed; the server keeps serving.
/// </summary>
/// <remarks>
/// By default the server uses every CPU: it starts a <see cref="HubGroup"/> of <see cref="StreamServerOptions.Hubs"/>
/// hubs (<c>GEVENT_HUBS</c>, one per CPU unless set) with a listener on each, bound to the same end point
/// (<c>SO_REUSEPORT</c>), so the kernel spreads new connections over the hubs; a connection's greenlets stay on the hub
/// that accepted it. A handler therefore runs on some hub of the server's own, not on the hub that started the server:
/// state it shares with other code must be thread-safe (or <see cref="CrossHubEvent"/>, <see cref="CrossHubQueue{T}"/>).
/// With <see cref="StreamServerOptions.Hubs"/> = 1 (or <c>GEVENT_HUBS=1</c>) the server runs on the hub that starts it,
/// as gevent's does, and its handlers may use that hub's objects.
/// </remarks>
public sealed class StreamServer : IDisposable
{
    private static readonly ILogger s_log = GeventLogging.CreateLogger("Gevent.Servers.StreamServer");

    private readonly EndPoint? _endPoint;
    private readonly Socket? _boundListener;
    private readonly Func<IConnectionHandler> _newHandler;
    private readonly StreamServerOptions _options;
    private readonly ILogger _logger;
    private readonly CrossHubEvent _stopped = new();
    private HubGroup? _group;
    private StreamListener[] _listeners = [];
    private bool _started;
    private bool _stopping;

    /// <summary>A server that will listen on <paramref name="endPoint"/> (port 0: any free port).</summary>
    /// <exception cref="ArgumentException">Several hubs were asked together with a <see cref="StreamServerOptions.Pool"/>.</exception>
    public StreamServer(EndPoint endPoint, Action<ServerConnection> handler, StreamServerOptions? options = null)
        : this(endPoint, Wrap(handler), options)
    {
    }

    /// <summary>
    /// A server on an already bound <paramref name="listener"/> (listening or not); the server owns it from now on. One
    /// socket is one listener: it is served on the hub that starts the server.
    /// </summary>
    /// <exception cref="ArgumentException">The socket is not bound, or several hubs were asked.</exception>
    public StreamServer(Socket listener, Action<ServerConnection> handler, StreamServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(listener);
        _newHandler = Wrap(handler);
        if (listener.LocalEndPoint is null)
        {
            throw new ArgumentException("The listener socket is not bound.", nameof(listener));
        }

        (_options, HubCount, _logger) = Configure(options, oneListener: true);
        _boundListener = listener;
    }

    /// <summary>A server whose hubs each make their own handler (the HTTP server keeps per-hub state).</summary>
    internal StreamServer(EndPoint endPoint, Func<IConnectionHandler> newHandler, StreamServerOptions? options)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        _newHandler = newHandler;
        (_options, HubCount, _logger) = Configure(options, oneListener: false);
        _endPoint = endPoint;
    }

    /// <summary>How many hubs serve the connections (see <see cref="StreamServerOptions.Hubs"/>).</summary>
    public int HubCount { get; }

    /// <summary>Where the server listens, once started (with the actual port when 0 was asked).</summary>
    public EndPoint? LocalEndPoint => _listeners is [var first, ..] ? first.LocalEndPoint : _boundListener?.LocalEndPoint;

    /// <summary>True between <see cref="Start"/> and <see cref="Stop"/>.</summary>
    public bool IsRunning => _listeners.Any(listener => listener.IsRunning);

    /// <summary>Connections being served now, on all the server's hubs.</summary>
    public int ConnectionCount => _listeners.Sum(listener => listener.ConnectionCount);

    /// <summary>Binds and listens (on each of its hubs, started now when more than one), and starts accepting; returns at once.</summary>
    /// <exception cref="InvalidOperationException">The server was already started, or stopped.</exception>
    public void Start()
    {
        // A server stopped before it started stays stopped: started now, no later Stop would end it.
        if (_started || _stopping)
        {
            throw new InvalidOperationException("The server was already started or stopped; a stopped server cannot start again.");
        }

        if (HubCount == 1)
        {
            _listeners = [StartListener(_boundListener, _endPoint)];
            _started = true;
            return;
        }

        var group = HubGroup.Start(HubCount);
        var listeners = new List<StreamListener>(HubCount);
        try
        {
            var endPoint = _endPoint!;
            for (var i = 0; i < HubCount; i++)
            {
                // Hub 0 binds first, so a port 0 becomes the real port the other hubs share.
                listeners.Add(GreenTask.GetResult(group.SpawnAsync(i, () => StartListener(null, endPoint))));
                endPoint = listeners[0].LocalEndPoint;
            }
        }
        catch
        {
            // The listeners already started close their sockets on their hubs, then the hubs end.
            StopOnTheirHubs(group, listeners, TimeSpan.Zero);
            throw;
        }

        _group = group;
        _started = true;
        _listeners = [.. listeners];
    }

    /// <summary>Starts (if needed) and blocks the calling greenlet (only it) or thread until the server stops.</summary>
    public void ServeForever()
    {
        if (!_started)
        {
            Start();
        }

        if (_group is null)
        {
            _listeners[0].Join();
        }
        else
        {
            _stopped.Wait();
        }
    }

    /// <summary>
    /// Stops accepting at once, waits up to <paramref name="timeout"/> (default 1 s) for handlers to finish, then
    /// kills those still running; with several hubs, then stops them. Harmless when not running. With several hubs, call
    /// it from outside them (the hub or thread that started the server), not from a handler.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from a greenlet of one of the server's own hubs, which would wait for itself.</exception>
    public void Stop(TimeSpan? timeout = null)
    {
        var grace = timeout ?? TimeSpan.FromSeconds(1);
        Durations.Validate(grace, nameof(timeout), allowInfinite: true);
        if (_stopping)
        {
            return;
        }

        if (_group is null)
        {
            _stopping = true;
            foreach (var listener in _listeners)
            {
                listener.Stop(grace);
            }

            return;
        }

        if (Hub.CurrentGreenletOrNull?.Hub is { } current && _group.Hubs.Contains(current))
        {
            throw new InvalidOperationException(
                $"A StreamServer on {HubCount} hubs cannot be stopped from a greenlet of its own hub {current.Id}: it would wait for itself. Stop it from the hub or thread that started it.");
        }

        _stopping = true;
        StopOnTheirHubs(_group, _listeners, grace);
        _stopped.Set();
    }

    /// <summary>Stops the server, giving handlers no time (<see cref="Stop"/> with zero).</summary>
    public void Dispose() => Stop(TimeSpan.Zero);

    /// <summary>Stops each listener on its hub (listener i on hub i), all at once, then ends the hubs.</summary>
    private static void StopOnTheirHubs(HubGroup group, IEnumerable<StreamListener> listeners, TimeSpan grace)
    {
        GreenTask.GetResult(Task.WhenAll(listeners.Select((listener, i) => group.SpawnAsync(i, () => listener.Stop(grace)))));
        group.Dispose();
    }

    private static Func<IConnectionHandler> Wrap(Action<ServerConnection> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var shared = new DelegateConnectionHandler(handler);
        return () => shared;
    }

    private static (StreamServerOptions Options, int HubCount, ILogger Logger) Configure(StreamServerOptions? given, bool oneListener)
    {
        var options = given ?? new StreamServerOptions();
        options.Validate();
        if (options.Hubs > 1 && (oneListener || options.Pool is not null))
        {
            throw new ArgumentException(
                $"Hubs is {options.Hubs}, but {(oneListener ? "a bound socket is one listener" : "a Pool belongs to one hub")}: serve on several hubs from an end point, with MaxConnections (per hub) instead of a Pool.",
                "options");
        }

        // A pool or a given socket belongs to the starting hub: the server stays there unless told otherwise.
        var hubs = options.Hubs ?? (oneListener || options.Pool is not null ? 1 : GeventConfig.Current.Hubs);
        return (options, hubs, options.Logger is { } own ? GeventLogging.TagByHub(own) : s_log);
    }

    private StreamListener StartListener(Socket? bound, EndPoint? endPoint)
    {
        var listener = new StreamListener(bound ?? new Socket(endPoint!.AddressFamily, SocketType.Stream, ProtocolType.Tcp), endPoint, _newHandler(), _options, _logger);
        listener.Start();
        return listener;
    }
}
