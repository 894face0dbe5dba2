using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// <see cref="TextReader"/> reads seen through the base type, which is how code reads a child process's
/// <see cref="System.Diagnostics.Process.StandardOutput"/> and <see cref="System.Diagnostics.Process.StandardError"/>
/// or a FIFO: in a greenlet a <see cref="StreamReader"/> over a pipe or FIFO is offloaded whole (<see cref="PipeIo"/>),
/// serialized per reader so that its buffer and decoder stay on one call at a time; any other reader gets the
/// virtual call. Every overload is a one-liner over the same <see cref="Run{TState, T}"/>.
/// </summary>
/// <remarks>
/// A <see cref="GreenStreamReader"/> (what patched code's <c>new StreamReader</c> makes over a network stream) is read
/// resumably by the overloads marked <see cref="ResumableAttribute"/>: they pass their woven caller's link on to it.
/// </remarks>
public static class TextReaderPatches
{
    /// <summary><see cref="TextReader.ReadLine"/>.</summary>
    [Patch(typeof(TextReader), nameof(TextReader.ReadLine), PatchKind.Virtual, PatchStrategy.Offload)]
    [Resumable]
    public static string? ReadLine(TextReader reader) => reader is GreenStreamReader green ? green.ReadLine() : Run(reader, 0, static (r, _) => r.ReadLine());

    /// <summary><see cref="TextReader.ReadToEnd"/>.</summary>
    [Patch(typeof(TextReader), nameof(TextReader.ReadToEnd), PatchKind.Virtual, PatchStrategy.Offload)]
    [Resumable]
    public static string ReadToEnd(TextReader reader) => reader is GreenStreamReader green ? green.ReadToEnd() : Run(reader, 0, static (r, _) => r.ReadToEnd());

    /// <summary><see cref="TextReader.Read()"/>.</summary>
    [Patch(typeof(TextReader), nameof(TextReader.Read), PatchKind.Virtual, PatchStrategy.Offload)]
    [Resumable]
    public static int Read(TextReader reader) => reader is GreenStreamReader green ? green.Read() : Run(reader, 0, static (r, _) => r.Read());

    /// <summary><see cref="TextReader.Peek"/>: an empty buffer is filled from the stream, which may block.</summary>
    [Patch(typeof(TextReader), nameof(TextReader.Peek), PatchKind.Virtual, PatchStrategy.Offload)]
    [Resumable]
    public static int Peek(TextReader reader) => reader is GreenStreamReader green ? green.Peek() : Run(reader, 0, static (r, _) => r.Peek());

    /// <summary><see cref="TextReader.Read(char[], int, int)"/>.</summary>
    [Patch(typeof(TextReader), nameof(TextReader.Read), PatchKind.Virtual, PatchStrategy.Offload)]
    [Resumable]
    public static int Read(TextReader reader, char[] buffer, int index, int count) =>
        reader is GreenStreamReader green
            ? green.Read(buffer, index, count)
            : Run(reader, (buffer, index, count), static (r, s) => r.Read(s.buffer, s.index, s.count));

    /// <summary><see cref="TextReader.ReadBlock(char[], int, int)"/>.</summary>
    [Patch(typeof(TextReader), nameof(TextReader.ReadBlock), PatchKind.Virtual, PatchStrategy.Offload)]
    public static int ReadBlock(TextReader reader, char[] buffer, int index, int count) =>
        Run(reader, (buffer, index, count), static (r, s) => r.ReadBlock(s.buffer, s.index, s.count));

    /// <summary><see cref="TextReader.Read(Span{char})"/>.</summary>
    [Patch(typeof(TextReader), nameof(TextReader.Read), PatchKind.Virtual, PatchStrategy.Offload)]
    public static int Read(TextReader reader, Span<char> buffer) => Run(reader, buffer, static (r, b) => r.Read(b));

    /// <summary><see cref="TextReader.ReadBlock(Span{char})"/>.</summary>
    [Patch(typeof(TextReader), nameof(TextReader.ReadBlock), PatchKind.Virtual, PatchStrategy.Offload)]
    public static int ReadBlock(TextReader reader, Span<char> buffer) => Run(reader, buffer, static (r, b) => r.ReadBlock(b));

    /// <summary>
    /// The one decision: a stream reader over a pipe in a greenlet is offloaded, serialized per reader, even
    /// when its buffer holds the answer (the buffer is private); any other reader (or a null one, which throws
    /// as the original call does) gets the virtual call here.
    /// </summary>
    /// <remarks>
    /// The arguments travel as <paramref name="state"/> to a static lambda, so a direct call allocates nothing. A resumable
    /// caller's link is taken first: a wait below is under a frame that does not follow the contract (the BCL reader's
    /// <c>ReadBuffer</c>), and pins.
    /// </remarks>
    private static T Run<TState, T>(TextReader reader, TState state, Func<TextReader, TState, T> read)
    {
        FrameStack.Current?.Enter();
        return ReadsPipe(reader, out var stream) ? PipeIo.Run(reader, stream, () => read(reader, state)) : read(reader, state);
    }

    /// <summary>
    /// <see cref="Run{TState, T}"/> into a span, which cannot travel to the pool thread: when offloaded, the read
    /// fills a rented array there and is copied here.
    /// </summary>
    private static int Run(TextReader reader, Span<char> buffer, Func<TextReader, Span<char>, int> read)
    {
        if (!ReadsPipe(reader, out _))
        {
            return read(reader, buffer);
        }

        // Returned to the pool only once the call is over: an interrupted read may still write into it.
        var rented = ArrayPool<char>.Shared.Rent(buffer.Length);
        var count = Run(reader, (rented, buffer.Length, read), static (r, s) => s.read(r, s.rented.AsSpan(0, s.Length)));
        rented.AsSpan(0, count).CopyTo(buffer);
        ArrayPool<char>.Shared.Return(rented);
        return count;
    }

    private static bool ReadsPipe(TextReader reader, [NotNullWhen(true)] out Stream? stream)
    {
        stream = (reader as StreamReader)?.BaseStream;
        return PipeIo.Offloads(stream);
    }
}
