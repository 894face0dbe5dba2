using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;

namespace Gevent.Tests.Patches.Pipes;

/// <summary>Counts how many calls run at once; a call it makes itself (ReadByte calling Read) is not counted again.</summary>
internal sealed class OverlapCounter
{
    // t_: thread-static, a prefix the naming rules cannot tell from a plain static's.
#pragma warning disable IDE1006
    [ThreadStatic]
    private static int t_depth;
#pragma warning restore IDE1006

    private int _current;
    private int _most;

    /// <summary>The most calls that ran at once.</summary>
    public int Most => Volatile.Read(ref _most);

    public T Count<T>(Func<T> call)
    {
        if (t_depth++ > 0)
        {
            try
            {
                return call();
            }
            finally
            {
                t_depth--;
            }
        }

        var now = Interlocked.Increment(ref _current);
        for (var most = Most; now > most && Interlocked.CompareExchange(ref _most, now, most) != most; most = Most)
        {
        }

        try
        {
            return call();
        }
        finally
        {
            Interlocked.Decrement(ref _current);
            t_depth--;
        }
    }

    public void Count(Action call) => Count(() =>
    {
        call();
        return 0;
    });
}

/// <summary>A pipe end over an existing handle that counts how many of its reads, and of its writes, run at once.</summary>
internal sealed class CountingPipeStream : PipeStream
{
    public CountingPipeStream(PipeDirection direction, SafePipeHandle handle)
        : base(direction, 0)
    {
        InitializeHandle(handle, isExposed: true, isAsync: false);
        IsConnected = true;
    }

    public OverlapCounter Reads { get; } = new();

    public OverlapCounter Writes { get; } = new();

    public override int Read(byte[] buffer, int offset, int count) => Reads.Count(() => base.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer)
    {
        // A span cannot be captured: count around a copy.
        var copy = new byte[buffer.Length];
        var read = Reads.Count(() => base.Read(copy));
        copy.AsSpan(0, read).CopyTo(buffer);
        return read;
    }

    public override int ReadByte() => Reads.Count(base.ReadByte);

    public override void Write(byte[] buffer, int offset, int count) => Writes.Count(() => base.Write(buffer, offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var copy = buffer.ToArray();
        Writes.Count(() => base.Write(copy));
    }

    public override void WriteByte(byte value) => Writes.Count(() => base.WriteByte(value));
}

/// <summary>An unbuffered file stream over an existing handle that counts how many of its calls, reads and writes alike, run at once.</summary>
internal sealed class CountingFileStream(SafeFileHandle handle, FileAccess access) : FileStream(handle, access, bufferSize: 0)
{
    public OverlapCounter Calls { get; } = new();

    public override int Read(byte[] buffer, int offset, int count) => Calls.Count(() => base.Read(buffer, offset, count));

    public override int ReadByte() => Calls.Count(base.ReadByte);

    public override void Write(byte[] buffer, int offset, int count) => Calls.Count(() => base.Write(buffer, offset, count));

    public override void WriteByte(byte value) => Calls.Count(() => base.WriteByte(value));
}
