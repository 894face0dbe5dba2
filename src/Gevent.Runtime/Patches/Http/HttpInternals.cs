using System.Net;
using System.Runtime.CompilerServices;

#pragma warning disable SYSLIB0014 // HttpWebRequest and WebClient are obsolete; these read the state of exactly those types.

namespace Gevent.Patches;

/// <summary>
/// The two private fields the HTTP replacements need to stop an interrupted request for good, read without
/// reflection and tolerating a runtime where they are named otherwise (then nothing is read, and the public
/// <see cref="WebRequest.Abort"/> / <see cref="WebClient.CancelAsync"/> alone apply).
/// </summary>
/// <remarks>
/// In .NET 10, <see cref="HttpWebRequest.Abort"/> during <c>BeginGetResponse</c> (and so during
/// <c>GetResponseAsync</c> and WebClient's async methods) only completes the APM operation as cancelled: the
/// underlying <see cref="System.Net.Http.HttpClient"/> send goes on until the server answers or the request's
/// <see cref="WebRequest.Timeout"/> passes. Cancelling the request's own send token ends it at once.
/// </remarks>
internal static class HttpInternals
{
    private static bool s_sendMissing;
    private static bool s_requestMissing;

    /// <summary>Cancels <paramref name="request"/>'s send, if it started one that is still running.</summary>
    public static void CancelSend(HttpWebRequest request)
    {
        if (s_sendMissing)
        {
            return;
        }

        try
        {
            SendCancellation(request)?.Cancel();
        }
        catch (MissingFieldException)
        {
            s_sendMissing = true;
        }
        catch (ObjectDisposedException)
        {
            // The send is over and cleaned up: nothing left to stop.
        }
    }

    /// <summary>The request <paramref name="client"/>'s current (or last) operation made, or null.</summary>
    public static WebRequest? CurrentRequest(WebClient client)
    {
        if (s_requestMissing)
        {
            return null;
        }

        try
        {
            return ClientRequest(client);
        }
        catch (MissingFieldException)
        {
            s_requestMissing = true;
            return null;
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_sendRequestCts")]
    private static extern ref CancellationTokenSource? SendCancellation(HttpWebRequest request);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_webRequest")]
    private static extern ref WebRequest? ClientRequest(WebClient client);
}
