using System.Net;
using System.Text;

namespace Gevent.AspNetCore.Tests;

/// <summary>
/// A request body sent in two parts: the first at once (flushed, so the server sees it), the second only after
/// <see cref="SendRest"/>, so that the server's read of the body waits for the client in between.
/// </summary>
internal sealed class TwoPartContent(string first, string second) : HttpContent
{
    private readonly TaskCompletionSource _rest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets the second part go.</summary>
    public void SendRest() => _rest.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(first));
        await stream.FlushAsync();
        await _rest.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await stream.WriteAsync(Encoding.UTF8.GetBytes(second));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
