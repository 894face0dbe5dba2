namespace Gevent.Patches;

/// <summary>
/// <see cref="TextWriter"/> writes seen through the base type, which is how code writes a child process's
/// <see cref="System.Diagnostics.Process.StandardInput"/> (an auto-flushing <see cref="StreamWriter"/> over a pipe,
/// which blocks once the pipe is full): a stream writer over a pipe or FIFO is offloaded (<see cref="PipeIo"/>);
/// any other writer gets the virtual call.
/// </summary>
public static class TextWriterPatches
{
    /// <summary><see cref="TextWriter.Write(string)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, string? value)
    {
        if (WritesPipe(writer))
        {
            Offload.Run(writer, () => writer.Write(value));
        }
        else
        {
            writer.Write(value);
        }
    }

    /// <summary><see cref="TextWriter.WriteLine(string)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, string? value)
    {
        if (WritesPipe(writer))
        {
            Offload.Run(writer, () => writer.WriteLine(value));
        }
        else
        {
            writer.WriteLine(value);
        }
    }

    /// <summary><see cref="TextWriter.Flush"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Flush), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Flush(TextWriter writer)
    {
        if (WritesPipe(writer))
        {
            Offload.Run(writer, writer.Flush);
        }
        else
        {
            writer.Flush();
        }
    }

    private static bool WritesPipe(TextWriter writer) => Hub.CooperativeGreenlet is not null && writer is StreamWriter { BaseStream: var stream } && PipeIo.IsPipe(stream);
}
