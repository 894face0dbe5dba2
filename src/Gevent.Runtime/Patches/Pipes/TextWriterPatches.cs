using System.Diagnostics.CodeAnalysis;

namespace Gevent.Patches;

/// <summary>
/// <see cref="TextWriter"/> writes seen through the base type, which is how code writes a child process's
/// <see cref="System.Diagnostics.Process.StandardInput"/> (an auto-flushing <see cref="StreamWriter"/> over a pipe,
/// which blocks once the pipe is full) or a FIFO: in a greenlet a stream writer over a pipe or FIFO is offloaded
/// whole (<see cref="PipeIo"/>), serialized per writer so that its buffer and encoder stay on one call at a time;
/// any other writer gets the virtual call. Every overload is a one-liner over the same <see cref="Run{TState}"/>.
/// </summary>
public static class TextWriterPatches
{
    /// <summary><see cref="TextWriter.Write(string)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, string? value) => Run(writer, value, static (w, v) => w.Write(v));

    /// <summary><see cref="TextWriter.WriteLine(string)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, string? value) => Run(writer, value, static (w, v) => w.WriteLine(v));

    /// <summary><see cref="TextWriter.Write(char)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, char value) => Run(writer, value, static (w, v) => w.Write(v));

    /// <summary><see cref="TextWriter.WriteLine(char)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, char value) => Run(writer, value, static (w, v) => w.WriteLine(v));

    /// <summary><see cref="TextWriter.Write(char[])"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, char[]? buffer) => Run(writer, buffer, static (w, b) => w.Write(b));

    /// <summary><see cref="TextWriter.WriteLine(char[])"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, char[]? buffer) => Run(writer, buffer, static (w, b) => w.WriteLine(b));

    /// <summary><see cref="TextWriter.Write(char[], int, int)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, char[] buffer, int index, int count) =>
        Run(writer, (buffer, index, count), static (w, s) => w.Write(s.buffer, s.index, s.count));

    /// <summary><see cref="TextWriter.WriteLine(char[], int, int)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, char[] buffer, int index, int count) =>
        Run(writer, (buffer, index, count), static (w, s) => w.WriteLine(s.buffer, s.index, s.count));

    /// <summary><see cref="TextWriter.Write(ReadOnlySpan{char})"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, ReadOnlySpan<char> buffer) => Run(writer, 0, buffer, static (w, _, b) => w.Write(b));

    /// <summary><see cref="TextWriter.WriteLine(ReadOnlySpan{char})"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, ReadOnlySpan<char> buffer) => Run(writer, 0, buffer, static (w, _, b) => w.WriteLine(b));

    /// <summary><see cref="TextWriter.WriteLine()"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer) => Run(writer, 0, static (w, _) => w.WriteLine());

    /// <summary><see cref="TextWriter.Write(object)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, object? value) => Run(writer, value, static (w, v) => w.Write(v));

    /// <summary><see cref="TextWriter.WriteLine(object)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, object? value) => Run(writer, value, static (w, v) => w.WriteLine(v));

    /// <summary><see cref="TextWriter.Write(bool)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, bool value) => Run(writer, value, static (w, v) => w.Write(v));

    /// <summary><see cref="TextWriter.WriteLine(bool)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, bool value) => Run(writer, value, static (w, v) => w.WriteLine(v));

    /// <summary><see cref="TextWriter.Write(int)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, int value) => Run(writer, value, static (w, v) => w.Write(v));

    /// <summary><see cref="TextWriter.WriteLine(int)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, int value) => Run(writer, value, static (w, v) => w.WriteLine(v));

    /// <summary><see cref="TextWriter.Write(uint)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, uint value) => Run(writer, value, static (w, v) => w.Write(v));

    /// <summary><see cref="TextWriter.WriteLine(uint)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, uint value) => Run(writer, value, static (w, v) => w.WriteLine(v));

    /// <summary><see cref="TextWriter.Write(long)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, long value) => Run(writer, value, static (w, v) => w.Write(v));

    /// <summary><see cref="TextWriter.WriteLine(long)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, long value) => Run(writer, value, static (w, v) => w.WriteLine(v));

    /// <summary><see cref="TextWriter.Write(ulong)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, ulong value) => Run(writer, value, static (w, v) => w.Write(v));

    /// <summary><see cref="TextWriter.WriteLine(ulong)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, ulong value) => Run(writer, value, static (w, v) => w.WriteLine(v));

    /// <summary><see cref="TextWriter.Write(float)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, float value) => Run(writer, value, static (w, v) => w.Write(v));

    /// <summary><see cref="TextWriter.WriteLine(float)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, float value) => Run(writer, value, static (w, v) => w.WriteLine(v));

    /// <summary><see cref="TextWriter.Write(double)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, double value) => Run(writer, value, static (w, v) => w.Write(v));

    /// <summary><see cref="TextWriter.WriteLine(double)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, double value) => Run(writer, value, static (w, v) => w.WriteLine(v));

    /// <summary><see cref="TextWriter.Write(decimal)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, decimal value) => Run(writer, value, static (w, v) => w.Write(v));

    /// <summary><see cref="TextWriter.WriteLine(decimal)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, decimal value) => Run(writer, value, static (w, v) => w.WriteLine(v));

    /// <summary><see cref="TextWriter.Write(System.Text.StringBuilder)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, System.Text.StringBuilder? value) => Run(writer, value, static (w, v) => w.Write(v));

    /// <summary><see cref="TextWriter.WriteLine(System.Text.StringBuilder)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, System.Text.StringBuilder? value) => Run(writer, value, static (w, v) => w.WriteLine(v));

    /// <summary><see cref="TextWriter.Write(string, object)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, string format, object? arg0) =>
        Run(writer, (format, arg0), static (w, s) => w.Write(s.format, s.arg0));

    /// <summary><see cref="TextWriter.WriteLine(string, object)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, string format, object? arg0) =>
        Run(writer, (format, arg0), static (w, s) => w.WriteLine(s.format, s.arg0));

    /// <summary><see cref="TextWriter.Write(string, object, object)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, string format, object? arg0, object? arg1) =>
        Run(writer, (format, arg0, arg1), static (w, s) => w.Write(s.format, s.arg0, s.arg1));

    /// <summary><see cref="TextWriter.WriteLine(string, object, object)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, string format, object? arg0, object? arg1) =>
        Run(writer, (format, arg0, arg1), static (w, s) => w.WriteLine(s.format, s.arg0, s.arg1));

    /// <summary><see cref="TextWriter.Write(string, object, object, object)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, string format, object? arg0, object? arg1, object? arg2) =>
        Run(writer, (format, arg0, arg1, arg2), static (w, s) => w.Write(s.format, s.arg0, s.arg1, s.arg2));

    /// <summary><see cref="TextWriter.WriteLine(string, object, object, object)"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, string format, object? arg0, object? arg1, object? arg2) =>
        Run(writer, (format, arg0, arg1, arg2), static (w, s) => w.WriteLine(s.format, s.arg0, s.arg1, s.arg2));

    /// <summary><see cref="TextWriter.Write(string, object[])"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, string format, object?[] arg) => Run(writer, (format, arg), static (w, s) => w.Write(s.format, s.arg));

    /// <summary><see cref="TextWriter.WriteLine(string, object[])"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, string format, object?[] arg) => Run(writer, (format, arg), static (w, s) => w.WriteLine(s.format, s.arg));

    /// <summary><see cref="TextWriter.Write(string, ReadOnlySpan{object})"/>, which C# picks for four or more format arguments.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Write), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Write(TextWriter writer, string format, ReadOnlySpan<object?> arg) => Run(writer, format, arg, static (w, f, a) => w.Write(f, a));

    /// <summary><see cref="TextWriter.WriteLine(string, ReadOnlySpan{object})"/>, which C# picks for four or more format arguments.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.WriteLine), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void WriteLine(TextWriter writer, string format, ReadOnlySpan<object?> arg) => Run(writer, format, arg, static (w, f, a) => w.WriteLine(f, a));

    /// <summary><see cref="TextWriter.Flush"/>.</summary>
    [Patch(typeof(TextWriter), nameof(TextWriter.Flush), PatchKind.Virtual, PatchStrategy.Offload)]
    public static void Flush(TextWriter writer) => Run(writer, 0, static (w, _) => w.Flush());

    /// <summary>
    /// The one decision: a stream writer over a pipe in a greenlet is offloaded, serialized per writer; any other
    /// writer (or a null one, which throws as the original call does) gets the virtual call here.
    /// </summary>
    /// <remarks>The arguments travel as <paramref name="state"/> to a static lambda, so a direct call allocates nothing.</remarks>
    private static void Run<TState>(TextWriter writer, TState state, Action<TextWriter, TState> write)
    {
        if (WritesPipe(writer, out var stream))
        {
            PipeIo.Run(writer, stream, () => write(writer, state));
        }
        else
        {
            write(writer, state);
        }
    }

    /// <summary>
    /// <see cref="Run{TState}"/> for arguments in a span, which cannot travel to the pool thread: a copy does,
    /// made only when the write is offloaded.
    /// </summary>
    private static void Run<TState, TItem>(TextWriter writer, TState state, ReadOnlySpan<TItem> items, Action<TextWriter, TState, ReadOnlySpan<TItem>> write)
    {
        if (WritesPipe(writer, out _))
        {
            var copy = items.ToArray();
            Run(writer, (state, copy, write), static (w, s) => s.write(w, s.state, s.copy));
        }
        else
        {
            write(writer, state, items);
        }
    }

    private static bool WritesPipe(TextWriter writer, [NotNullWhen(true)] out Stream? stream)
    {
        stream = (writer as StreamWriter)?.BaseStream;
        return PipeIo.Offloads(stream);
    }
}
