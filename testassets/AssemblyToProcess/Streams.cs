namespace AssemblyToProcess;

/// <summary>Stream reads through every receiver shape (the test catalog patches <c>Stream.Read</c>).</summary>
public static class Streams
{
    public static int ReadAll(Stream stream)
    {
        var buffer = new byte[4];
        int read, total = 0;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            total += read;
        }

        return total;
    }

    public static int Generic<T>(T stream)
        where T : Stream => stream.Read(new byte[16], 0, 16);

    public static int MethodGroup(Stream stream)
    {
        Func<byte[], int, int, int> read = stream.Read;
        return read(new byte[16], 0, 16);
    }

    public static int UsingDispose(byte[] data)
    {
        using var stream = new MemoryStream(data);
        return ReadAll(stream);
    }

    public static string ConstructedType(byte[] data) => new MemoryStream(data).GetType().Name;

    public static int BaseRead(byte[] data) => new CountingStream(data).Read(new byte[16], 0, 16);

    public static int HiddenRead() => new HidingStream().Read(new byte[16], 0, 16);

    /// <summary><c>base.Read</c> must reach <see cref="MemoryStream.Read(byte[], int, int)"/> itself: not rewritten.</summary>
    public sealed class CountingStream(byte[] data) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, count);
    }

    /// <summary>A different member with <c>Stream.Read</c>'s name and signature (<c>new</c>): not patched.</summary>
    public sealed class HidingStream : MemoryStream
    {
        public new int Read(byte[] buffer, int offset, int count) => -1;
    }
}
