namespace Gevent.Patches;

/// <summary>
/// <see cref="TextReader"/> reads seen through the base type, which is how code reads a child process's
/// <see cref="System.Diagnostics.Process.StandardOutput"/> and <see cref="System.Diagnostics.Process.StandardError"/>:
/// a <see cref="StreamReader"/> over a pipe or FIFO is offloaded whole (<see cref="PipeIo"/>), so its buffer and
/// decoder stay on one call; any other reader gets the virtual call.
/// </summary>
public static class TextReaderPatches
{
    /// <summary><see cref="TextReader.ReadLine"/>.</summary>
    [Patch(typeof(TextReader), nameof(TextReader.ReadLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static string? ReadLine(TextReader reader) => ReadsPipe(reader) ? Offload.Run(reader, reader.ReadLine) : reader.ReadLine();

    /// <summary><see cref="TextReader.ReadToEnd"/>.</summary>
    [Patch(typeof(TextReader), nameof(TextReader.ReadToEnd), PatchKind.Virtual, PatchStrategy.Offload)]
    public static string ReadToEnd(TextReader reader) => ReadsPipe(reader) ? Offload.Run(reader, reader.ReadToEnd) : reader.ReadToEnd();

    /// <summary><see cref="TextReader.Read()"/>.</summary>
    [Patch(typeof(TextReader), nameof(TextReader.Read), PatchKind.Virtual, PatchStrategy.Offload)]
    public static int Read(TextReader reader) => ReadsPipe(reader) ? Offload.Run(reader, reader.Read) : reader.Read();

    /// <summary><see cref="TextReader.Read(char[], int, int)"/>.</summary>
    [Patch(typeof(TextReader), nameof(TextReader.Read), PatchKind.Virtual, PatchStrategy.Offload)]
    public static int Read(TextReader reader, char[] buffer, int index, int count) =>
        ReadsPipe(reader) ? Offload.Run(reader, () => reader.Read(buffer, index, count)) : reader.Read(buffer, index, count);

    /// <summary>In a greenlet, a stream reader over a pipe. Offloaded even when its buffer holds the answer: the buffer is private.</summary>
    private static bool ReadsPipe(TextReader reader) => Hub.CooperativeGreenlet is not null && reader is StreamReader { BaseStream: var stream } && PipeIo.IsPipe(stream);
}
