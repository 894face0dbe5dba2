using System.Net;

#pragma warning disable SYSLIB0014 // HttpWebRequest and WebRequest are obsolete; these replacements stand in for calls to exactly them.

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="HttpWebRequest"/>'s synchronous <c>GetResponse</c> and
/// <c>GetRequestStream</c>, whether the call names <see cref="HttpWebRequest"/> or, as C# compiles it, the
/// <see cref="WebRequest"/> virtual: in a greenlet, the APM twin (<c>BeginGetResponse</c>/<c>EndGetResponse</c>)
/// runs on .NET's own I/O and the greenlet parks until it completes; its exceptions are the synchronous call's.
/// A kill or timeout meanwhile aborts the request (and cancels its send, see <see cref="HttpInternals"/>). Any
/// other <see cref="WebRequest"/> (file, FTP, a custom one) gets the virtual call; elsewhere the original.
/// </summary>
/// <remarks>
/// The twin is called as Begin/End rather than <see cref="WebRequest.GetResponseAsync"/> (which is only
/// <c>Task.Run</c> over the same pair), so that what the synchronous call checks before any I/O still throws
/// from the call itself. Three differences remain. A request aborted before <c>GetResponse</c> throws
/// <see cref="WebExceptionStatus.RequestCanceled"/> here, as documented, where .NET 10's synchronous call sends it
/// anyway. A second <c>GetResponse</c> after a failed first one throws <see cref="InvalidOperationException"/> here,
/// where the synchronous call repeats the failure (after a successful one, <see cref="HttpWebRequest.HaveResponse"/>,
/// the original runs: it no longer blocks). And <see cref="HttpWebRequest.ReadWriteTimeout"/>, a socket timeout,
/// bounds each read of the response headers in the synchronous call but not the asynchronous wait for them here
/// (<see cref="HttpWebRequest.Timeout"/> bounds both); it still bounds reading the response stream.
/// </remarks>
public static class HttpWebRequestPatches
{
    /// <summary><see cref="HttpWebRequest.GetResponse"/> named on <see cref="HttpWebRequest"/>.</summary>
    [Patch(typeof(HttpWebRequest), nameof(HttpWebRequest.GetResponse), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static WebResponse GetResponse(HttpWebRequest request) => GetResponse((WebRequest)request);

    /// <summary><see cref="WebRequest.GetResponse"/>: cooperative on an <see cref="HttpWebRequest"/> in a greenlet.</summary>
    [Patch(typeof(WebRequest), nameof(WebRequest.GetResponse), PatchKind.Virtual, PatchStrategy.AsyncTwin)]
    public static WebResponse GetResponse(WebRequest request) =>
        Hub.CooperativeGreenlet is not null && request is HttpWebRequest { HaveResponse: false } http
            ? Park(http, Task<WebResponse>.Factory.FromAsync(http.BeginGetResponse, http.EndGetResponse, null), disposeLateResult: true)
            : request.GetResponse();

    /// <summary><see cref="HttpWebRequest.GetRequestStream()"/> named on <see cref="HttpWebRequest"/>.</summary>
    [Patch(typeof(HttpWebRequest), nameof(HttpWebRequest.GetRequestStream), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static Stream GetRequestStream(HttpWebRequest request) => GetRequestStream((WebRequest)request);

    /// <summary><see cref="HttpWebRequest.GetRequestStream(out TransportContext?)"/>.</summary>
    [Patch(typeof(HttpWebRequest), nameof(HttpWebRequest.GetRequestStream), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static Stream GetRequestStream(HttpWebRequest request, out TransportContext? context)
    {
        context = null;
        return GetRequestStream((WebRequest)request);
    }

    /// <summary>
    /// <see cref="WebRequest.GetRequestStream"/>: cooperative on an <see cref="HttpWebRequest"/> that does not buffer
    /// what is written (<see cref="HttpWebRequest.AllowWriteStreamBuffering"/> false), whose stream comes only once
    /// the connection is open; a buffering request's stream is made at once, by the original.
    /// </summary>
    [Patch(typeof(WebRequest), nameof(WebRequest.GetRequestStream), PatchKind.Virtual, PatchStrategy.AsyncTwin)]
    public static Stream GetRequestStream(WebRequest request)
    {
        if (Hub.CooperativeGreenlet is null || request is not HttpWebRequest { AllowWriteStreamBuffering: false } http)
        {
            return request.GetRequestStream();
        }

        var opening = Task<Stream>.Factory.FromAsync(http.BeginGetRequestStream, http.EndGetRequestStream, null);
        try
        {
            return Park(http, opening, disposeLateResult: false);
        }
        catch (Exception failure) when (opening.Exception?.InnerException == failure)
        {
            // The synchronous call reads its task's Result, so its failures come wrapped.
            throw new AggregateException(failure);
        }
    }

    /// <summary>Parks on <paramref name="pending"/>; interrupted while it is in flight, aborts the request and cancels its send.</summary>
    private static T Park<T>(HttpWebRequest request, Task<T> pending, bool disposeLateResult) =>
        AsyncTwinWait.Park(pending, () => Stop(request), disposeLateResult);

    private static void Stop(HttpWebRequest request)
    {
        request.Abort();
        HttpInternals.CancelSend(request);
    }
}
