using Microsoft.AspNetCore.Http.Features;

namespace Gevent.AspNetCore.Io;

/// <summary>The server's response body feature, with a <see cref="Stream"/> whose synchronous writes cooperate.</summary>
internal sealed class CooperativeResponseBodyFeature(IHttpResponseBodyFeature inner, IHttpBodyControlFeature? bodyControl)
    : IHttpResponseBodyFeature
{
    private CooperativeBodyStream? _stream;

    public Stream Stream => _stream ??= new CooperativeBodyStream(inner.Stream, bodyControl);

    public System.IO.Pipelines.PipeWriter Writer => inner.Writer;

    public void DisableBuffering() => inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        inner.SendFileAsync(path, offset, count, cancellationToken);

    public Task CompleteAsync() => inner.CompleteAsync();
}
