using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Gevent.AspNetCore.Io;

/// <summary>
/// A request or response body stream whose synchronous <see cref="Read(byte[], int, int)"/>, <see cref="Write(byte[], int, int)"/>
/// and <see cref="Flush"/> start the asynchronous operation and park the calling greenlet until it completes (the
/// server's own streams would block the thread, and with it the hub). Outside a greenlet they block as the server's do.
/// Like the server's streams, they throw when the request's <see cref="IHttpBodyControlFeature.AllowSynchronousIO"/> is false.
/// </summary>
internal sealed class CooperativeBodyStream(Stream inner, IHttpBodyControlFeature? bodyControl) : Stream
{
    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => inner.CanSeek;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        EnsureSynchronousIOAllowed();
        return GreenTask.GetResult(inner.ReadAsync(buffer, offset, count));
    }

    public override int Read(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = Read(rented, 0, buffer.Length);
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        EnsureSynchronousIOAllowed();
        GreenTask.GetResult(inner.WriteAsync(buffer, offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            buffer.CopyTo(rented);
            Write(rented, 0, buffer.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override void Flush()
    {
        EnsureSynchronousIOAllowed();
        GreenTask.GetResult(inner.FlushAsync());
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken) =>
        inner.CopyToAsync(destination, bufferSize, cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void SetLength(long value) => inner.SetLength(value);

    private void EnsureSynchronousIOAllowed()
    {
        if (bodyControl is { AllowSynchronousIO: false })
        {
            throw new InvalidOperationException(
                "Synchronous operations are disallowed. Call ReadAsync or WriteAsync instead, or set AllowSynchronousIO to true " +
                "(GeventServerOptions.AllowSynchronousIO, or IHttpBodyControlFeature for one request).");
        }
    }
}
