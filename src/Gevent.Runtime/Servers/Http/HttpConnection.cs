using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Gevent.Servers;

/// <summary>
/// Serves the requests of one connection in order, keeping it open by HTTP/1.0 and 1.1 rules, until the
/// client closes it, a request is refused, a timeout passes, or the server stops.
/// </summary>
internal sealed class HttpConnection
{
    private const int OutputBufferSize = 16 * 1024;

    private static readonly ILogger s_errors = GeventLogging.CreateLogger("Gevent.Servers.HttpServer");

    private readonly Stream _stream;
    private readonly EndPoint? _remote;
    private readonly HttpServerOptions _options;
    private readonly Action<HttpRequest, HttpResponse> _handler;
    private readonly Func<bool> _stopping;
    private readonly Action<bool>? _idleChanged;
    private readonly ILogger? _accessLog;

    /// <summary>A connection over <paramref name="stream"/>; <paramref name="stopping"/> says when to stop keeping it alive.</summary>
    /// <param name="stream">The connection, cooperative in a greenlet.</param>
    /// <param name="remote">The client's address, for the request and the access log.</param>
    /// <param name="options">Limits and timeouts.</param>
    /// <param name="handler">Called once per request.</param>
    /// <param name="stopping">True once the server stops: finish the current request, then close.</param>
    /// <param name="idleChanged">Told true while the connection waits for a request head (so a stopping server may close it), false once one arrived.</param>
    public HttpConnection(Stream stream, EndPoint? remote, HttpServerOptions options, Action<HttpRequest, HttpResponse> handler, Func<bool> stopping, Action<bool>? idleChanged = null)
    {
        _stream = stream;
        _remote = remote;
        _options = options;
        _handler = handler;
        _stopping = stopping;
        _idleChanged = idleChanged;
        _accessLog = options.AccessLog is { } accessLog ? GeventLogging.TagByHub(accessLog) : null;
    }

    /// <summary>Runs until the connection should close; the caller closes the stream.</summary>
    public void Serve()
    {
        var input = new HttpInput(_stream, _options.MaxRequestLineLength + 2);
        var output = new BufferedStream(_stream, OutputBufferSize);

        // Per connection, not per request: a buffer per request is garbage at every request, and each
        // collection must stop every greenlet thread in the process.
        var holdBack = new byte[ResponseBodyStream.HoldBackSize];
        HttpRequest? previous = null;
        while (!_stopping())
        {
            HttpRequest? request;
            try
            {
                request = ReadHead(input, previous is null ? _options.RequestHeadTimeout : _options.KeepAliveTimeout, previous);
            }
            catch (HttpRequestRejectedException e)
            {
                TrySendError(output, e.StatusCode, e.Message);
                return;
            }

            if (request is null)
            {
                return;
            }

            previous = request;
            if (!ServeOne(input, output, holdBack, request))
            {
                return;
            }
        }
    }

    /// <summary>Reads a head within <paramref name="timeout"/>; null when the client went away (or stayed silent).</summary>
    private HttpRequest? ReadHead(HttpInput input, TimeSpan timeout, HttpRequest? previous)
    {
        // The timeout only bites where the stream parks the greenlet (a cooperative socket stream).
        var limit = GreenTimeout.Start(timeout);
        _idleChanged?.Invoke(true);
        try
        {
            return HttpRequestParser.ReadHead(input, _options, previous);
        }
        catch (GreenTimeoutException e) when (e.Timeout == limit)
        {
            return null;
        }
        catch (IOException e) when (e is not HttpRequestRejectedException)
        {
            return null;
        }
        finally
        {
            _idleChanged?.Invoke(false);
            limit.Dispose();
        }
    }

    /// <summary>Runs the handler for one request; false when the connection must close afterwards.</summary>
    private bool ServeOne(HttpInput input, Stream output, byte[] holdBack, HttpRequest request)
    {
        // Only the access log needs the start time: without one, no clock read per request.
        var started = _accessLog is null ? 0 : Stopwatch.GetTimestamp();
        var body = new ResponseBodyStream(output, request, _stopping, holdBack);
        var response = new HttpResponse(body);
        body.Response = response;
        var requestBody = new RequestBodyStream(input, _options, request.ContentLength, request.IsChunked,
            request.ExpectsContinue ? body.SendContinue : null);
        request.Body = requestBody;
        request.RemoteEndPoint = _remote;
        try
        {
            _handler(request, response);
            body.Complete();
        }
        catch (HttpRequestRejectedException e) when (!response.HeadersSent)
        {
            TrySendError(output, e.StatusCode, e.Message);
            Log(request, e.StatusCode, 0, started);
            return false;
        }
        catch (Exception e) when (e is not GreenletExit)
        {
            if (e is not IOException)
            {
                s_errors.LogError(e, "The handler failed on {Method} {Target}.", request.Method, request.Target);
            }

            // Before the headers, the client can still be told; after, only closing is honest.
            if (!response.HeadersSent)
            {
                TrySendError(output, 500, "The server failed to handle the request.");
            }

            Log(request, response.HeadersSent ? response.StatusCode : 500, body.BodyBytes, started);
            return false;
        }

        Log(request, response.StatusCode, body.BodyBytes, started);
        return body.KeepAlive && DrainBody(requestBody);
    }

    /// <summary>Skips what the handler did not read of the body, so the next request starts in the right place.</summary>
    private bool DrainBody(RequestBodyStream requestBody)
    {
        try
        {
            return requestBody.TryDrain(_options.MaxDrainBytes);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void TrySendError(Stream output, int status, string message)
    {
        try
        {
            var text = System.Text.Encoding.UTF8.GetBytes(message + "\n");
            output.Write(System.Text.Encoding.Latin1.GetBytes(
                $"HTTP/1.1 {status} {HttpStatus.Reason(status)}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {text.Length}\r\nConnection: close\r\nDate: {HttpDate.Now}\r\n\r\n"));
            output.Write(text);
            output.Flush();
        }
        catch (IOException)
        {
            // The client is gone; there is no one to tell.
        }
    }

    private void Log(HttpRequest request, int status, long bytes, long started)
    {
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
            Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
