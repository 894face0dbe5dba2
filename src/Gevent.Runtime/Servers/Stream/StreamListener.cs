using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.CompilerServices;
using Gevent.CompilerServices;
using Gevent.Patches;
using Microsoft.Extensions.Logging;

namespace Gevent.Servers;

/// <summary>
/// One hub's part of a <see cref="StreamServer"/>: a listener, the greenlet accepting on it and the greenlets serving
/// its connections, all on the hub that started it; used only from that hub's greenlets.
/// </summary>
internal sealed class StreamListener
{
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(1);

    private static readonly RuntimeMethodHandle s_serveMethod =
        typeof(StreamListener).GetMethod(nameof(Serve), BindingFlags.NonPublic | BindingFlags.Instance)!.MethodHandle;

    private static readonly Action<Greenlet, object?> s_closeWhenDone = static (_, socket) => ((Socket)socket!).Dispose();

    private readonly IConnectionHandler _handler;
    private readonly StreamServerOptions _options;
    private readonly Group _handlers;
    private readonly ILogger _logger;
    private readonly Socket _listener;
    private Greenlet? _acceptor;
    private bool _stopping;

    /// <summary>Binds <paramref name="listener"/> to <paramref name="endPoint"/> if given (it is bound already otherwise); owns it from now on.</summary>
    public StreamListener(Socket listener, EndPoint? endPoint, IConnectionHandler handler, StreamServerOptions options, ILogger logger)
    {
        _listener = listener;
        if (endPoint is not null)
        {
            try
            {
                // On Linux .NET sets SO_REUSEPORT with SO_REUSEADDR: every hub's listener binds the one end point,
                // and the kernel spreads new connections over them.
                _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                _listener.Bind(endPoint);
            }
            catch
            {
                _listener.Dispose();
                throw;
            }
        }

        LocalEndPoint = _listener.LocalEndPoint!;
        _handler = handler;
        _options = options;
        _handlers = options.Pool ?? (options.MaxConnections is { } max ? new Pool(max) : new Group());
        _logger = logger;
    }

    /// <summary>Where it listens (the actual port when 0 was asked); kept, as a disposed socket no longer says.</summary>
    public EndPoint LocalEndPoint { get; }

    public bool IsRunning => _acceptor is { Dead: false };

    public int ConnectionCount => _handlers.Count;

    public void Start()
    {
        // Compiled lazily, the connection path would load its assemblies (System.Net.Security) at the first
        // connection, which needs a descriptor: a server out of them failed that load, which stays failed, and then
        // every connection (the accept-backoff test caught it once two hubs competed for freed descriptors).
        RuntimeHelpers.PrepareMethod(s_serveMethod);
        _listener.Listen(_options.Backlog);
        _acceptor = Greenlet.Spawn(AcceptLoop);
        _acceptor.Name = $"StreamServer {LocalEndPoint} accept";
    }

    public void Join() => _acceptor!.Join();

    /// <summary>Stops accepting, lets handlers run up to <paramref name="grace"/>, then kills the rest. Harmless twice.</summary>
    public void Stop(TimeSpan grace)
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _acceptor?.Kill();
        _listener.Dispose();
        _handler.Stopping();
        if (!_handlers.Join(grace))
        {
            _handlers.Kill();
        }
    }

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
                client = SocketPatches.Accept(_listener);
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
                backoff = Durations.Doubled(backoff, s_maxBackoff);
                continue;
            }

            backoff = _options.AcceptErrorBackoff;

            // A handler woven with resumable frames runs on a stackless greenlet, without a thread of its own.
            Action serve = () => Serve(client);
            var handler = _handler.IsResumable ? ResumableGreenlet.SpawnStackless(_handlers, serve) : _handlers.Spawn(serve);

            // However the greenlet ends — even never started (no thread to be had, or killed first) — the
            // connection is closed; a leaked socket is a descriptor the next accept needs.
            handler.AddRawLink(s_closeWhenDone, client);
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

    /// <summary>Serves one accepted connection: the body of its greenlet.</summary>
    /// <remarks>
    /// Resumable (<see cref="FrameStack"/>), for a handler that is: on a stackless greenlet it saves the connection in
    /// a frame when the handler suspends, and is called again (its body's lambda passes the link on) to resume.
    /// </remarks>
    [Resumable]
    private void Serve(Socket client)
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        var connection = linked && frames!.IsResuming ? ((ServeFrame)frames.Pop()).Connection : null;
        var remote = connection?.RemoteEndPoint ?? client.RemoteEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        var stream = connection?.Stream ?? new GreenNetworkStream(client, ownsSocket: true);
        try
        {
            if (connection is null)
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

                connection = new ServerConnection(client, stream, remote);
            }

            if (linked)
            {
                frames!.Link();
            }

            _handler.Serve(connection);
            if (frames is { IsSuspending: true })
            {
                frames.Push(new ServeFrame(connection));
            }
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
            if (frames is not { IsSuspending: true })
            {
                stream.Dispose();
            }
        }
    }

    /// <summary>What a connection's greenlet keeps while its stackless handler is suspended.</summary>
    private sealed class ServeFrame(ServerConnection connection) : ResumableFrame
    {
        public ServerConnection Connection { get; } = connection;
    }
}
