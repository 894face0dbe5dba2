using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Gevent.Patches;
using Microsoft.Extensions.Logging;

namespace Gevent.Servers;

/// <summary>
/// A TCP server (gevent's <c>StreamServer</c>): accepts connections in a greenlet and runs the handler for
/// each in a greenlet of its own, in plain blocking style. A handler's exception is logged and its
/// connection closed; the server keeps serving. Create and use it from one hub's greenlets.
/// </summary>
/// <remarks>
/// To use several CPUs, start a server on each hub of a <see cref="HubGroup"/> on the same end point: the listener
/// is bound with <c>SO_REUSEADDR</c>, which .NET on Linux sets together with <c>SO_REUSEPORT</c>, so the kernel
/// spreads new connections over the hubs' listeners, and a connection's greenlets stay on the hub that accepted it.
/// </remarks>
public sealed class StreamServer : IDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    private static readonly Action<Greenlet, object?> CloseWhenDone = static (_, socket) => ((Socket)socket!).Dispose();

    private readonly EndPoint? _endPoint;
    private readonly Action<ServerConnection> _handler;
    private readonly StreamServerOptions _options;
    private readonly Group _handlers;
    private readonly ILogger _logger;
    private Socket? _listener;
    private Greenlet? _acceptor;
    private bool _stopping;

    /// <summary>A server that will listen on <paramref name="endPoint"/> (port 0: any free port).</summary>
    public StreamServer(EndPoint endPoint, Action<ServerConnection> handler, StreamServerOptions? options = null)
        : this(handler, options)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        _endPoint = endPoint;
    }

    /// <summary>A server on an already bound <paramref name="listener"/> (listening or not); the server owns it from now on.</summary>
    public StreamServer(Socket listener, Action<ServerConnection> handler, StreamServerOptions? options = null)
        : this(handler, options)
    {
        ArgumentNullException.ThrowIfNull(listener);
        if (listener.LocalEndPoint is null)
        {
            throw new ArgumentException("The listener socket is not bound.", nameof(listener));
        }

        _listener = listener;
    }

    private StreamServer(Action<ServerConnection> handler, StreamServerOptions? options)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
        _options = options ?? new StreamServerOptions();
        _options.Validate();
        _handlers = _options.Pool ?? (_options.MaxConnections is { } max ? new Pool(max) : new Group());
        _logger = _options.Logger ?? GeventLogging.CreateLogger("Gevent.Servers.StreamServer");
    }

    /// <summary>Where the server listens, once started (with the actual port when 0 was asked).</summary>
    public EndPoint? LocalEndPoint => _listener?.LocalEndPoint;

    /// <summary>True between <see cref="Start"/> and <see cref="Stop"/>.</summary>
    public bool IsRunning => _acceptor is { Dead: false };

    /// <summary>Connections being served now.</summary>
    public int ConnectionCount => _handlers.Count;

    /// <summary>Binds and listens if needed, and starts accepting in a greenlet; returns at once.</summary>
    /// <exception cref="InvalidOperationException">The server was already started.</exception>
    public void Start()
    {
        if (_acceptor is not null)
        {
            throw new InvalidOperationException("The server was already started; a stopped server cannot start again.");
        }

        if (_listener is null)
        {
            _listener = new Socket(_endPoint!.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                _listener.Bind(_endPoint);
            }
            catch
            {
                _listener.Dispose();
                _listener = null;
                throw;
            }
        }

        _listener.Listen(_options.Backlog);
        _acceptor = Greenlet.Spawn(AcceptLoop);
        _acceptor.Name = $"StreamServer {LocalEndPoint} accept";
    }

    /// <summary>Starts (if needed) and blocks the calling greenlet until the server stops.</summary>
    public void ServeForever()
    {
        if (_acceptor is null)
        {
            Start();
        }

        _acceptor!.Join();
    }

    /// <summary>
    /// Stops accepting at once, waits up to <paramref name="timeout"/> (default 1 s) for handlers to
    /// finish, then kills those still running. Harmless when not running.
    /// </summary>
    public void Stop(TimeSpan? timeout = null)
    {
        var grace = timeout ?? TimeSpan.FromSeconds(1);
        Durations.Validate(grace, nameof(timeout), allowInfinite: true);
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _acceptor?.Kill();
        _listener?.Dispose();
        if (!_handlers.Join(grace))
        {
            _handlers.Kill();
        }
    }

    /// <summary>Stops the server, giving handlers no time (<see cref="Stop"/> with zero).</summary>
    public void Dispose() => Stop(TimeSpan.Zero);

    private void AcceptLoop()
    {
        var backoff = _options.AcceptErrorBackoff;
        var acceptedInARow = 0;
        while (!_stopping)
        {
            if (_handlers is Pool pool)
            {
                // Full: leave new clients in the backlog rather than accept what cannot be served.
                pool.WaitAvailable();
            }

            Socket client;
            try
            {
                client = SocketPatches.Accept(_listener!);
            }
            catch (ObjectDisposedException) when (_stopping)
            {
                return;
            }
            catch (Exception e) when (e is not GreenletExit)
            {
                // Out of descriptors, a client that gave up in the backlog, or worse: pause and retry,
                // never spin and never let the server die.
                ReportAcceptFailure(e, backoff);
                Greenlet.Sleep(backoff);
                backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
                continue;
            }

            backoff = _options.AcceptErrorBackoff;
            var handler = _handlers.Spawn(() => Serve(client));

            // However the greenlet ends — even never started (no thread to be had, or killed first) — the
            // connection is closed; a leaked socket is a descriptor the next accept needs.
            handler.AddRawLink(CloseWhenDone, client);
            if (++acceptedInARow >= _options.MaxAcceptsPerWake)
            {
                acceptedInARow = 0;
                Greenlet.Yield();
            }
        }
    }

    private void ReportAcceptFailure(Exception failure, TimeSpan backoff)
    {
        try
        {
            _logger.LogWarning("Accepting on {EndPoint} failed ({Error}); retrying in {Backoff} ms.", LocalEndPoint,
                failure is SocketException socketError ? socketError.SocketErrorCode.ToString() : failure.Message, backoff.TotalMilliseconds);
        }
        catch (Exception e) when (e is not GreenletExit)
        {
            // A logger that fails (a user's, or stderr out of descriptors) must not take the server down.
        }
    }

    /// <summary>The socket error if <paramref name="failure"/> (or an exception it wraps) is the peer resetting or leaving the connection.</summary>
    private static SocketError? IsPeerReset(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            // Shutdown is EPIPE: writing to a connection the peer has closed.
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown } socketError)
            {
                return socketError.SocketErrorCode;
            }
        }

        return null;
    }

    private void Serve(Socket client)
    {
        var remote = client.RemoteEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        Stream stream = new GreenNetworkStream(client, ownsSocket: true);
        try
        {
            if (_options.Certificate is { } certificate)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                using (GreenTimeout.Start(_options.TlsHandshakeTimeout))
                {
                    tls.AuthenticateAsServer(certificate);
                }
            }

            _handler(new ServerConnection(client, stream, remote));
        }
        catch (Exception e) when (IsPeerReset(e) is { } reset)
        {
            // A client that went away is ordinary (the soak's abrupt clients logged 207k stack traces): one quiet line.
            _logger.LogDebug("The connection from {Remote} was reset by the peer ({Error}); closed.", remote, reset);
        }
        catch (Exception e) when (e is not GreenletExit)
        {
            _logger.LogError(e, "The handler for {Remote} failed; its connection is closed.", remote);
        }
        finally
        {
            stream.Dispose();
        }
    }
}
