using System.Diagnostics;
using System.Net;
using Gevent.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Gevent.Servers;

/// <summary>
/// Serves the requests of one connection in order, keeping it open by HTTP/1.0 and 1.1 rules, until the
/// client closes it, a request is refused, a timeout passes, or the server stops.
/// </summary>
/// <remarks>
/// <see cref="Serve"/> follows the frame contract (<see cref="FrameStack"/>) with no frame of its own: where it is in
/// the exchange (its <see cref="Phase"/>) and the current request live in this object, so a stackless connection
/// greenlet waits for a request head, for a slow reader of its response or for a body to drain without a thread,
/// and is called again to resume. The handler is linked to when it is resumable (woven with resumable frames);
/// any other handler is called unlinked, and a wait inside it pins (keeps the carrier thread) until it returns.
/// </remarks>
internal sealed class HttpConnection
{
    private const int OutputBufferSize = 16 * 1024;

    private static readonly ILogger s_errors = GeventLogging.CreateLogger("Gevent.Servers.HttpServer");

    private readonly EndPoint? _remote;
    private readonly HttpServerOptions _options;
    private readonly Action<HttpRequest, HttpResponse> _handler;
    private readonly bool _handlerResumable;
    private readonly Func<bool> _stopping;
    private readonly Action<bool>? _idleChanged;
    private readonly ILogger? _accessLog;
    private readonly HttpInput _input;
    private readonly HttpOutput _output;

    // Per connection, not per request: a buffer per request is garbage at every request, and each
    // collection must stop every greenlet thread in the process.
    private readonly byte[] _holdBack = new byte[ResponseBodyStream.HoldBackSize];

    private Phase _phase;
    private GreenTimeout? _headLimit;
    private HttpRequest? _previous;

    // The request being served, from its head's end to its drain.
    private HttpRequest _request = null!;
    private HttpResponse _response = null!;
    private ResponseBodyStream _body = null!;
    private RequestBodyStream _requestBody = null!;
    private long _started;

    /// <summary>A connection over <paramref name="stream"/>; <paramref name="stopping"/> says when to stop keeping it alive.</summary>
    /// <param name="stream">The connection, cooperative in a greenlet.</param>
    /// <param name="remote">The client's address, for the request and the access log.</param>
    /// <param name="options">Limits and timeouts.</param>
    /// <param name="handler">Called once per request.</param>
    /// <param name="stopping">True once the server stops: finish the current request, then close.</param>
    /// <param name="idleChanged">Told true while the connection waits for a request head (so a stopping server may close it), false once one arrived.</param>
    /// <param name="handlerResumable">Whether <paramref name="handler"/> follows the frame contract (its method is <c>[Resumable]</c>).</param>
    public HttpConnection(Stream stream, EndPoint? remote, HttpServerOptions options, Action<HttpRequest, HttpResponse> handler, Func<bool> stopping, Action<bool>? idleChanged = null, bool handlerResumable = false)
    {
        _remote = remote;
        _options = options;
        _handler = handler;
        _handlerResumable = handlerResumable;
        _stopping = stopping;
        _idleChanged = idleChanged;
        _accessLog = options.AccessLog is { } accessLog ? GeventLogging.TagByHub(accessLog) : null;
        _input = new HttpInput(stream, options.MaxRequestLineLength + 2);
        _output = new HttpOutput(stream, OutputBufferSize);
    }

    /// <summary>Where the connection is between two requests and within one.</summary>
    private enum Phase
    {
        /// <summary>Before a request head: keep going, or close for a stopping server.</summary>
        Idle,

        /// <summary>Reading a request head, under its timeout.</summary>
        Head,

        /// <summary>In the handler.</summary>
        Handler,

        /// <summary>Pushing the response out.</summary>
        Flush,

        /// <summary>Skipping what the handler did not read of the request body.</summary>
        Drain,

        /// <summary>Done: the caller closes the stream.</summary>
        Closed,
    }

    /// <summary>Runs until the connection should close; the caller closes the stream.</summary>
    /// <remarks>Resumable: on a stackless greenlet it returns when a wait suspends, and is called again to resume.</remarks>
    [Resumable]
    public void Serve()
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        while (true)
        {
            _phase = _phase switch
            {
                Phase.Idle => StartHead(),
                Phase.Head => ReadHead(frames, linked),
                Phase.Handler => RunHandler(frames, linked),
                Phase.Flush => FinishResponse(frames, linked),
                Phase.Drain => DrainBody(frames, linked),
                _ => Phase.Closed,
            };
            if (_phase == Phase.Closed || frames is { IsSuspending: true })
            {
                return;
            }
        }
    }

    private Phase StartHead()
    {
        if (_stopping())
        {
            return Phase.Closed;
        }

        // The timeout only bites where the stream parks the greenlet (a cooperative socket stream).
        _headLimit = GreenTimeout.Start(_previous is null ? _options.RequestHeadTimeout : _options.KeepAliveTimeout);
        _idleChanged?.Invoke(true);
        return Phase.Head;
    }

    private Phase ReadHead(FrameStack? frames, bool linked)
    {
        HttpRequest? request;
        try
        {
            request = ReadHeadInTime(frames, linked);
        }
        catch (HttpRequestRejectedException e)
        {
            TrySendError(e.StatusCode, e.Message);
            return Phase.Closed;
        }

        if (frames is { IsSuspending: true })
        {
            return Phase.Head;
        }

        if (request is null)
        {
            return Phase.Closed;
        }

        _previous = request;
        Begin(request);
        return Phase.Handler;
    }

    /// <summary>Reads a head within its timeout; null when the client went away (or stayed silent), or while suspended.</summary>
    private HttpRequest? ReadHeadInTime(FrameStack? frames, bool linked)
    {
        try
        {
            if (frames is not null)
            {
                // Stackless: wait here, where a wait keeps no thread, until the parser has its bytes.
                if (linked)
                {
                    frames.Link();
                }

                _input.FillUntilHead();
                if (frames.IsSuspending)
                {
                    return null;
                }
            }

            return HttpRequestParser.ReadHead(_input, _options, _previous);
        }
        catch (GreenTimeoutException e) when (e.Timeout == _headLimit)
        {
            return null;
        }
        catch (IOException e) when (e is not HttpRequestRejectedException)
        {
            return null;
        }
        finally
        {
            if (frames is not { IsSuspending: true })
            {
                _idleChanged?.Invoke(false);
                _headLimit!.Dispose();
            }
        }
    }

    private void Begin(HttpRequest request)
    {
        // Only the access log needs the start time: without one, no clock read per request.
        _started = _accessLog is null ? 0 : Stopwatch.GetTimestamp();
        _request = request;
        _body = new ResponseBodyStream(_output, request, _stopping, _holdBack);
        _response = new HttpResponse(_body);
        _body.Response = _response;
        _requestBody = new RequestBodyStream(_input, _options, request.ContentLength, request.IsChunked,
            request.ExpectsContinue ? _body.SendContinue : null);
        request.Body = _requestBody;
        request.RemoteEndPoint = _remote;
    }

    private Phase RunHandler(FrameStack? frames, bool linked)
    {
        try
        {
            if (linked && _handlerResumable)
            {
                frames!.Link();
            }

            _handler(_request, _response);
            if (frames is { IsSuspending: true })
            {
                return Phase.Handler;
            }

            _body.Finish();
            return Phase.Flush;
        }
        catch (Exception e) when (e is not GreenletExit)
        {
            return Failed(e);
        }
    }

    private Phase FinishResponse(FrameStack? frames, bool linked)
    {
        try
        {
            if (linked)
            {
                frames!.Link();
            }

            _output.Flush();
            if (frames is { IsSuspending: true })
            {
                return Phase.Flush;
            }

            _body.ThrowIfLengthUnmet();
        }
        catch (Exception e) when (e is not GreenletExit)
        {
            return Failed(e);
        }

        Log(_response.StatusCode, _body.BodyBytes);
        return _body.KeepAlive ? Phase.Drain : Phase.Closed;
    }

    /// <summary>What the handler or the response's end threw: tell the client if it still can be told, and close.</summary>
    private Phase Failed(Exception failure)
    {
        if (failure is HttpRequestRejectedException rejected && !_response.HeadersSent)
        {
            TrySendError(rejected.StatusCode, rejected.Message);
            Log(rejected.StatusCode, 0);
            return Phase.Closed;
        }

        if (failure is not IOException)
        {
            s_errors.LogError(failure, "The handler failed on {Method} {Target}.", _request.Method, _request.Target);
        }

        // Before the headers, the client can still be told; after, only closing is honest.
        if (!_response.HeadersSent)
        {
            TrySendError(500, "The server failed to handle the request.");
        }

        Log(_response.HeadersSent ? _response.StatusCode : 500, _body.BodyBytes);
        return Phase.Closed;
    }

    /// <summary>Skips what the handler did not read of the body, so the next request starts in the right place.</summary>
    private Phase DrainBody(FrameStack? frames, bool linked)
    {
        try
        {
            while (!_requestBody.Finished)
            {
                if (frames is not null)
                {
                    if (linked)
                    {
                        frames.Link();
                    }

                    _input.FillSome();
                    if (frames.IsSuspending)
                    {
                        return Phase.Drain;
                    }
                }

                if (!_requestBody.DrainSome(_options.MaxDrainBytes))
                {
                    return Phase.Closed;
                }
            }
        }
        catch (IOException)
        {
            return Phase.Closed;
        }

        return Phase.Idle;
    }

    private void TrySendError(int status, string message)
    {
        try
        {
            var text = System.Text.Encoding.UTF8.GetBytes(message + "\n");
            _output.Write(System.Text.Encoding.Latin1.GetBytes(
                $"HTTP/1.1 {status} {HttpStatus.Reason(status)}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {text.Length}\r\nConnection: close\r\nDate: {HttpDate.Now}\r\n\r\n"));
            _output.Write(text);
            _output.Flush();
        }
        catch (IOException)
        {
            // The client is gone; there is no one to tell.
        }
    }

    private void Log(int status, long bytes)
    {
        var request = _request;
        if (_accessLog is not { } log || !log.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var remote = _remote is IPEndPoint ip ? ip.Address.ToString() : _remote?.ToString() ?? "-";
        var referer = request.Headers["Referer"] ?? "-";
        var agent = request.Headers["User-Agent"] ?? "-";
        log.LogInformation(
            "{Remote} - - [{Time:dd/MMM/yyyy:HH:mm:ss zzz}] \"{Method} {Target} HTTP/{Version}\" {Status} {Bytes} \"{Referer}\" \"{Agent}\" {Seconds:0.000000}",
            remote, DateTimeOffset.Now, request.Method, request.Target, request.Version, status, bytes, referer, agent,
            Stopwatch.GetElapsedTime(_started).TotalSeconds);
    }
}
