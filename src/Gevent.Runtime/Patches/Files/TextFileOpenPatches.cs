using System.Text;

namespace Gevent.Patches;

/// <summary>
/// Opening a file by path as a <see cref="StreamReader"/> or <see cref="StreamWriter"/>: a FIFO's open blocks until
/// its other end is opened, so in a greenlet it is offloaded (<see cref="FifoOpen"/>); every other path opens
/// directly, as in gevent. The constructors become factories returning the reader or writer the original would
/// have made; reading and writing it then cooperate through <see cref="TextReaderPatches"/> and <see cref="TextWriterPatches"/>.
/// </summary>
public static class TextFileOpenPatches
{
    /// <summary><see cref="StreamReader(string)"/>.</summary>
    [Patch(typeof(StreamReader), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static StreamReader NewStreamReader(string path) => FifoOpen.Open(path, () => new StreamReader(path));

    /// <summary><see cref="StreamReader(string, bool)"/>.</summary>
    [Patch(typeof(StreamReader), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static StreamReader NewStreamReader(string path, bool detectEncodingFromByteOrderMarks) =>
        FifoOpen.Open(path, () => new StreamReader(path, detectEncodingFromByteOrderMarks));

    /// <summary><see cref="StreamReader(string, Encoding)"/>.</summary>
    [Patch(typeof(StreamReader), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static StreamReader NewStreamReader(string path, Encoding encoding) => FifoOpen.Open(path, () => new StreamReader(path, encoding));

    /// <summary><see cref="StreamReader(string, Encoding, bool)"/>.</summary>
    [Patch(typeof(StreamReader), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static StreamReader NewStreamReader(string path, Encoding encoding, bool detectEncodingFromByteOrderMarks) =>
        FifoOpen.Open(path, () => new StreamReader(path, encoding, detectEncodingFromByteOrderMarks));

    /// <summary><see cref="StreamReader(string, Encoding, bool, int)"/>.</summary>
    [Patch(typeof(StreamReader), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static StreamReader NewStreamReader(string path, Encoding encoding, bool detectEncodingFromByteOrderMarks, int bufferSize) =>
        FifoOpen.Open(path, () => new StreamReader(path, encoding, detectEncodingFromByteOrderMarks, bufferSize));

    /// <summary><see cref="StreamReader(string, FileStreamOptions)"/>.</summary>
    [Patch(typeof(StreamReader), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static StreamReader NewStreamReader(string path, FileStreamOptions options) => FifoOpen.Open(path, () => new StreamReader(path, options));

    /// <summary><see cref="StreamReader(string, Encoding, bool, FileStreamOptions)"/>.</summary>
    [Patch(typeof(StreamReader), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static StreamReader NewStreamReader(string path, Encoding encoding, bool detectEncodingFromByteOrderMarks, FileStreamOptions options) =>
        FifoOpen.Open(path, () => new StreamReader(path, encoding, detectEncodingFromByteOrderMarks, options));

    /// <summary><see cref="StreamWriter(string)"/>.</summary>
    [Patch(typeof(StreamWriter), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static StreamWriter NewStreamWriter(string path) => FifoOpen.Open(path, () => new StreamWriter(path));

    /// <summary><see cref="StreamWriter(string, bool)"/>.</summary>
    [Patch(typeof(StreamWriter), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static StreamWriter NewStreamWriter(string path, bool append) => FifoOpen.Open(path, () => new StreamWriter(path, append));

    /// <summary><see cref="StreamWriter(string, bool, Encoding)"/>.</summary>
    [Patch(typeof(StreamWriter), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static StreamWriter NewStreamWriter(string path, bool append, Encoding encoding) =>
        FifoOpen.Open(path, () => new StreamWriter(path, append, encoding));

    /// <summary><see cref="StreamWriter(string, bool, Encoding, int)"/>.</summary>
    [Patch(typeof(StreamWriter), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static StreamWriter NewStreamWriter(string path, bool append, Encoding encoding, int bufferSize) =>
        FifoOpen.Open(path, () => new StreamWriter(path, append, encoding, bufferSize));

    /// <summary><see cref="StreamWriter(string, FileStreamOptions)"/>.</summary>
    [Patch(typeof(StreamWriter), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static StreamWriter NewStreamWriter(string path, FileStreamOptions options) => FifoOpen.Open(path, () => new StreamWriter(path, options));

    /// <summary><see cref="StreamWriter(string, Encoding, FileStreamOptions)"/>.</summary>
    [Patch(typeof(StreamWriter), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static StreamWriter NewStreamWriter(string path, Encoding encoding, FileStreamOptions options) =>
        FifoOpen.Open(path, () => new StreamWriter(path, encoding, options));

    /// <summary><see cref="File.OpenText(string)"/>.</summary>
    [Patch(typeof(File), nameof(File.OpenText), PatchKind.Static, PatchStrategy.Offload)]
    public static StreamReader OpenText(string path) => FifoOpen.Open(path, () => File.OpenText(path));

    /// <summary><see cref="File.CreateText(string)"/>.</summary>
    [Patch(typeof(File), nameof(File.CreateText), PatchKind.Static, PatchStrategy.Offload)]
    public static StreamWriter CreateText(string path) => FifoOpen.Open(path, () => File.CreateText(path));

    /// <summary><see cref="File.AppendText(string)"/>.</summary>
    [Patch(typeof(File), nameof(File.AppendText), PatchKind.Static, PatchStrategy.Offload)]
    public static StreamWriter AppendText(string path) => FifoOpen.Open(path, () => File.AppendText(path));
}
