namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="HttpClient"/>'s synchronous <c>Send</c>: in a greenlet, the
/// async twin runs on .NET's own I/O and the greenlet parks until it completes, so the hub keeps serving;
/// its exception is the original one, as the synchronous call would throw. Elsewhere the original.
/// </summary>
public static class HttpClientPatches
{
    /// <summary><see cref="HttpClient.Send(HttpRequestMessage)"/>.</summary>
    [Patch(typeof(HttpClient), nameof(HttpClient.Send), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static HttpResponseMessage Send(HttpClient client, HttpRequestMessage request) =>
        Send(client, request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);

    /// <summary><see cref="HttpClient.Send(HttpRequestMessage, CancellationToken)"/>.</summary>
    [Patch(typeof(HttpClient), nameof(HttpClient.Send), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static HttpResponseMessage Send(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken) =>
        Send(client, request, HttpCompletionOption.ResponseContentRead, cancellationToken);

    /// <summary><see cref="HttpClient.Send(HttpRequestMessage, HttpCompletionOption)"/>.</summary>
    [Patch(typeof(HttpClient), nameof(HttpClient.Send), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static HttpResponseMessage Send(HttpClient client, HttpRequestMessage request, HttpCompletionOption completionOption) =>
        Send(client, request, completionOption, CancellationToken.None);

    /// <summary><see cref="HttpClient.Send(HttpRequestMessage, HttpCompletionOption, CancellationToken)"/>.</summary>
    [Patch(typeof(HttpClient), nameof(HttpClient.Send), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static HttpResponseMessage Send(HttpClient client, HttpRequestMessage request, HttpCompletionOption completionOption, CancellationToken cancellationToken)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            return client.Send(request, completionOption, cancellationToken);
        }

        // A kill or timeout leaves the request running on .NET's I/O unless it is cancelled too; a response
        // that still arrives is disposed, so its connection goes back to the pool.
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return AsyncTwinWait.Park(client.SendAsync(request, completionOption, abandon.Token), abandon.Cancel, disposeLateResult: true);
    }
}
