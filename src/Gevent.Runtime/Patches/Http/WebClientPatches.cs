using System.Collections.Specialized;
using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;

#pragma warning disable SYSLIB0014 // WebClient is obsolete; these replacements stand in for calls to exactly it.

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="WebClient"/>'s synchronous methods: in a greenlet, the
/// <c>…TaskAsync</c> twin runs on .NET's own I/O and the greenlet parks until it completes. Both paths check
/// their arguments and map failures the same way, so the exceptions are the synchronous method's. A kill or
/// timeout meanwhile cancels the operation (<see cref="WebClient.CancelAsync"/>, and the request's send, see
/// <see cref="HttpInternals"/>); the client is busy until the cancelled operation has wound down, as after
/// <c>CancelAsync</c>. Elsewhere the original.
/// </summary>
/// <remarks>
/// <para>The twins raise the client's <c>…Completed</c> and progress events, which the synchronous methods do not.
/// A subclass overriding a member that only one of the two paths calls (<c>GetWebResponse</c>, an <c>On…</c> event
/// raiser; <c>GetWebRequest</c> is called by both) gets the original instead, offloaded to the hub's pool, so its
/// overrides run as they would; interrupted, that operation is cancelled too.</para>
/// <para><c>DownloadFile</c> deletes what a failed download leaves, as the synchronous method does and its twin does not.</para>
/// <para>The stream <c>OpenWrite</c> returns sends the request when it is closed, synchronously (it is WebClient's
/// own): only opening it cooperates here.</para>
/// </remarks>
public static class WebClientPatches
{
    /// <summary><see cref="WebClient.DownloadString(string)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.DownloadString), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static string DownloadString(WebClient client, string address) =>
        Run(client, () => client.DownloadString(address), () => client.DownloadStringTaskAsync(address));

    /// <summary><see cref="WebClient.DownloadString(Uri)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.DownloadString), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static string DownloadString(WebClient client, Uri address) =>
        Run(client, () => client.DownloadString(address), () => client.DownloadStringTaskAsync(address));

    /// <summary><see cref="WebClient.DownloadData(string)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.DownloadData), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static byte[] DownloadData(WebClient client, string address) =>
        Run(client, () => client.DownloadData(address), () => client.DownloadDataTaskAsync(address));

    /// <summary><see cref="WebClient.DownloadData(Uri)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.DownloadData), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static byte[] DownloadData(WebClient client, Uri address) =>
        Run(client, () => client.DownloadData(address), () => client.DownloadDataTaskAsync(address));

    /// <summary><see cref="WebClient.DownloadFile(string, string)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.DownloadFile), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static void DownloadFile(WebClient client, string address, string fileName) =>
        DownloadFile(client, fileName, () => client.DownloadFile(address, fileName), () => client.DownloadFileTaskAsync(address, fileName));

    /// <summary><see cref="WebClient.DownloadFile(Uri, string)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.DownloadFile), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static void DownloadFile(WebClient client, Uri address, string fileName) =>
        DownloadFile(client, fileName, () => client.DownloadFile(address, fileName), () => client.DownloadFileTaskAsync(address, fileName));

    /// <summary><see cref="WebClient.OpenRead(string)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.OpenRead), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static Stream OpenRead(WebClient client, string address) =>
        Run(client, () => client.OpenRead(address), () => client.OpenReadTaskAsync(address), disposeLateResult: true);

    /// <summary><see cref="WebClient.OpenRead(Uri)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.OpenRead), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static Stream OpenRead(WebClient client, Uri address) =>
        Run(client, () => client.OpenRead(address), () => client.OpenReadTaskAsync(address), disposeLateResult: true);

    /// <summary><see cref="WebClient.OpenWrite(string)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.OpenWrite), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static Stream OpenWrite(WebClient client, string address) =>
        Run(client, () => client.OpenWrite(address), () => client.OpenWriteTaskAsync(address));

    /// <summary><see cref="WebClient.OpenWrite(Uri)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.OpenWrite), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static Stream OpenWrite(WebClient client, Uri address) =>
        Run(client, () => client.OpenWrite(address), () => client.OpenWriteTaskAsync(address));

    /// <summary><see cref="WebClient.OpenWrite(string, string?)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.OpenWrite), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static Stream OpenWrite(WebClient client, string address, string? method) =>
        Run(client, () => client.OpenWrite(address, method), () => client.OpenWriteTaskAsync(address, method));

    /// <summary><see cref="WebClient.OpenWrite(Uri, string?)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.OpenWrite), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static Stream OpenWrite(WebClient client, Uri address, string? method) =>
        Run(client, () => client.OpenWrite(address, method), () => client.OpenWriteTaskAsync(address, method));

    /// <summary><see cref="WebClient.UploadString(string, string)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadString), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static string UploadString(WebClient client, string address, string data) =>
        Run(client, () => client.UploadString(address, data), () => client.UploadStringTaskAsync(address, data));

    /// <summary><see cref="WebClient.UploadString(Uri, string)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadString), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static string UploadString(WebClient client, Uri address, string data) =>
        Run(client, () => client.UploadString(address, data), () => client.UploadStringTaskAsync(address, data));

    /// <summary><see cref="WebClient.UploadString(string, string?, string)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadString), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static string UploadString(WebClient client, string address, string? method, string data) =>
        Run(client, () => client.UploadString(address, method, data), () => client.UploadStringTaskAsync(address, method, data));

    /// <summary><see cref="WebClient.UploadString(Uri, string?, string)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadString), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static string UploadString(WebClient client, Uri address, string? method, string data) =>
        Run(client, () => client.UploadString(address, method, data), () => client.UploadStringTaskAsync(address, method, data));

    /// <summary><see cref="WebClient.UploadData(string, byte[])"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadData), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static byte[] UploadData(WebClient client, string address, byte[] data) =>
        Run(client, () => client.UploadData(address, data), () => client.UploadDataTaskAsync(address, data));

    /// <summary><see cref="WebClient.UploadData(Uri, byte[])"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadData), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static byte[] UploadData(WebClient client, Uri address, byte[] data) =>
        Run(client, () => client.UploadData(address, data), () => client.UploadDataTaskAsync(address, data));

    /// <summary><see cref="WebClient.UploadData(string, string?, byte[])"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadData), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static byte[] UploadData(WebClient client, string address, string? method, byte[] data) =>
        Run(client, () => client.UploadData(address, method, data), () => client.UploadDataTaskAsync(address, method, data));

    /// <summary><see cref="WebClient.UploadData(Uri, string?, byte[])"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadData), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static byte[] UploadData(WebClient client, Uri address, string? method, byte[] data) =>
        Run(client, () => client.UploadData(address, method, data), () => client.UploadDataTaskAsync(address, method, data));

    /// <summary><see cref="WebClient.UploadFile(string, string)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadFile), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static byte[] UploadFile(WebClient client, string address, string fileName) =>
        Run(client, () => client.UploadFile(address, fileName), () => client.UploadFileTaskAsync(address, fileName));

    /// <summary><see cref="WebClient.UploadFile(Uri, string)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadFile), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static byte[] UploadFile(WebClient client, Uri address, string fileName) =>
        Run(client, () => client.UploadFile(address, fileName), () => client.UploadFileTaskAsync(address, fileName));

    /// <summary><see cref="WebClient.UploadFile(string, string?, string)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadFile), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static byte[] UploadFile(WebClient client, string address, string? method, string fileName) =>
        Run(client, () => client.UploadFile(address, method, fileName), () => client.UploadFileTaskAsync(address, method, fileName));

    /// <summary><see cref="WebClient.UploadFile(Uri, string?, string)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadFile), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static byte[] UploadFile(WebClient client, Uri address, string? method, string fileName) =>
        Run(client, () => client.UploadFile(address, method, fileName), () => client.UploadFileTaskAsync(address, method, fileName));

    /// <summary><see cref="WebClient.UploadValues(string, NameValueCollection)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadValues), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static byte[] UploadValues(WebClient client, string address, NameValueCollection data) =>
        Run(client, () => client.UploadValues(address, data), () => client.UploadValuesTaskAsync(address, data));

    /// <summary><see cref="WebClient.UploadValues(Uri, NameValueCollection)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadValues), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static byte[] UploadValues(WebClient client, Uri address, NameValueCollection data) =>
        Run(client, () => client.UploadValues(address, data), () => client.UploadValuesTaskAsync(address, data));

    /// <summary><see cref="WebClient.UploadValues(string, string?, NameValueCollection)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadValues), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static byte[] UploadValues(WebClient client, string address, string? method, NameValueCollection data) =>
        Run(client, () => client.UploadValues(address, method, data), () => client.UploadValuesTaskAsync(address, method, data));

    /// <summary><see cref="WebClient.UploadValues(Uri, string?, NameValueCollection)"/>.</summary>
    [Patch(typeof(WebClient), nameof(WebClient.UploadValues), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static byte[] UploadValues(WebClient client, Uri address, string? method, NameValueCollection data) =>
        Run(client, () => client.UploadValues(address, method, data), () => client.UploadValuesTaskAsync(address, method, data));

    /// <summary>
    /// The one way every method cooperates: outside a greenlet the original; for a client whose overrides the twin
    /// would skip, the original offloaded; otherwise the twin, parked on. <paramref name="twin"/> throws what the
    /// original checks before starting (a null address or data) from the call itself, as the original does.
    /// </summary>
    private static T Run<T>(WebClient client, Func<T> original, Func<Task<T>> twin, bool disposeLateResult = false)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            return original();
        }

        return TwinPath.IsFaithfulFor(client.GetType()) ? AsyncTwinWait.Park(twin(), () => Cancel(client), disposeLateResult) : Offloaded(client, original);
    }

    /// <summary>DownloadFile through <see cref="Run"/>, deleting in a greenlet what a failed download left at <paramref name="fileName"/>.</summary>
    private static void DownloadFile(WebClient client, string? fileName, Action original, Func<Task> twin)
    {
        if (Hub.CooperativeGreenlet is null)
        {
            original();
            return;
        }

        var before = FileMark.Of(fileName);
        try
        {
            Run(client, () => Done(original), () => Done(twin()));
        }
        catch
        {
            FileMark.DeleteIfChanged(fileName, before);
            throw;
        }
    }

    private static T Offloaded<T>(WebClient client, Func<T> original)
    {
        var returned = new StrongBox<bool>();
        try
        {
            return Offload.Run(() =>
            {
                try
                {
                    return original();
                }
                finally
                {
                    Volatile.Write(ref returned.Value, true);
                }
            });
        }
        catch when (!Volatile.Read(ref returned.Value))
        {
            // Interrupted while the original still runs on the pool: stop it there too.
            Cancel(client);
            throw;
        }
    }

    /// <summary>Cancels <paramref name="client"/>'s operation: CancelAsync aborts its request, which leaves the request's send running.</summary>
    private static void Cancel(WebClient client)
    {
        var request = HttpInternals.CurrentRequest(client);
        client.CancelAsync();
        if (request is HttpWebRequest http)
        {
            HttpInternals.CancelSend(http);
        }
    }

    private static bool Done(Action original)
    {
        original();
        return true;
    }

    private static async Task<bool> Done(Task download)
    {
        await download.ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Whether the twins do what the synchronous methods would for a client type: WebClient itself, or a subclass that
    /// overrides none of the virtuals WebClient introduces other than <c>GetWebRequest</c>, the one both paths call.
    /// (The synchronous path alone calls <c>GetWebResponse(WebRequest)</c>; the twins alone call the other
    /// <c>GetWebResponse</c> and the <c>On…</c> raisers, on which they also depend to complete.)
    /// </summary>
    private static class TwinPath
    {
        private static readonly ConditionalWeakTable<Type, object> s_faithful = [];

        public static bool IsFaithfulFor(Type type) =>
            type == typeof(WebClient) || (bool)s_faithful.GetValue(type, static type => !type
                .GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Any(method => method.DeclaringType != typeof(WebClient)
                    && method.GetBaseDefinition() is { } introduced
                    && introduced.DeclaringType == typeof(WebClient)
                    && introduced.Name != "GetWebRequest"));
    }

    /// <summary>
    /// What is at a download's target path. The synchronous DownloadFile opens (truncating) the file, and deletes it
    /// when the download then fails; the twin leaves it. So after a failure, a file that is new or changed since the
    /// call began was opened by it and is deleted; one the download could not open is left as it was.
    /// </summary>
    private readonly record struct FileMark(bool Exists, long Length, DateTime Written)
    {
        public static FileMark Of(string? path)
        {
            try
            {
                var info = new FileInfo(path!);
                return info.Exists ? new FileMark(true, info.Length, info.LastWriteTimeUtc) : default;
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or NotSupportedException)
            {
                // A path the download cannot open either.
                return default;
            }
        }

        public static void DeleteIfChanged(string? path, FileMark before)
        {
            if (Of(path) is not { Exists: true } after || after == before)
            {
                return;
            }

            try
            {
                File.Delete(path!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left in place; the download's own failure is what the caller sees, as with the original.
            }
        }
    }
}
