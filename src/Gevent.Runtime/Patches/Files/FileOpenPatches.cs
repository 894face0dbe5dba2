using Microsoft.Win32.SafeHandles;

namespace Gevent.Patches;

/// <summary>
/// Opening a file by path as a <see cref="FileStream"/> or a handle: a FIFO's open blocks until its other end is
/// opened, so in a greenlet it is offloaded (<see cref="FifoOpen"/>); every other path opens directly, as in gevent.
/// The constructors become factories returning the <see cref="FileStream"/> the original would have made.
/// </summary>
/// <remarks>
/// <see cref="File.Create(string)"/> is not patched: it opens for reading and writing, which Linux never blocks
/// on a FIFO.
/// </remarks>
public static class FileOpenPatches
{
    /// <summary><see cref="FileStream(string, FileMode)"/>.</summary>
    [Patch(typeof(FileStream), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static FileStream NewFileStream(string path, FileMode mode) =>
        FifoOpen.Open(path, () => new FileStream(path, mode));

    /// <summary><see cref="FileStream(string, FileMode, FileAccess)"/>.</summary>
    [Patch(typeof(FileStream), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static FileStream NewFileStream(string path, FileMode mode, FileAccess access) =>
        FifoOpen.Open(path, () => new FileStream(path, mode, access));

    /// <summary><see cref="FileStream(string, FileMode, FileAccess, FileShare)"/>.</summary>
    [Patch(typeof(FileStream), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static FileStream NewFileStream(string path, FileMode mode, FileAccess access, FileShare share) =>
        FifoOpen.Open(path, () => new FileStream(path, mode, access, share));

    /// <summary><see cref="FileStream(string, FileMode, FileAccess, FileShare, int)"/>.</summary>
    [Patch(typeof(FileStream), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static FileStream NewFileStream(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize) =>
        FifoOpen.Open(path, () => new FileStream(path, mode, access, share, bufferSize));

    /// <summary><see cref="FileStream(string, FileMode, FileAccess, FileShare, int, bool)"/>.</summary>
    [Patch(typeof(FileStream), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static FileStream NewFileStream(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize, bool useAsync) =>
        FifoOpen.Open(path, () => new FileStream(path, mode, access, share, bufferSize, useAsync));

    /// <summary><see cref="FileStream(string, FileMode, FileAccess, FileShare, int, FileOptions)"/>.</summary>
    [Patch(typeof(FileStream), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static FileStream NewFileStream(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize, FileOptions options) =>
        FifoOpen.Open(path, () => new FileStream(path, mode, access, share, bufferSize, options));

    /// <summary><see cref="FileStream(string, FileStreamOptions)"/>.</summary>
    [Patch(typeof(FileStream), ".ctor", PatchKind.Constructor, PatchStrategy.Offload)]
    public static FileStream NewFileStream(string path, FileStreamOptions options) =>
        FifoOpen.Open(path, () => new FileStream(path, options));

    /// <summary><see cref="File.Open(string, FileMode)"/>.</summary>
    [Patch(typeof(File), nameof(File.Open), PatchKind.Static, PatchStrategy.Offload)]
    public static FileStream Open(string path, FileMode mode) => FifoOpen.Open(path, () => File.Open(path, mode));

    /// <summary><see cref="File.Open(string, FileMode, FileAccess)"/>.</summary>
    [Patch(typeof(File), nameof(File.Open), PatchKind.Static, PatchStrategy.Offload)]
    public static FileStream Open(string path, FileMode mode, FileAccess access) => FifoOpen.Open(path, () => File.Open(path, mode, access));

    /// <summary><see cref="File.Open(string, FileMode, FileAccess, FileShare)"/>.</summary>
    [Patch(typeof(File), nameof(File.Open), PatchKind.Static, PatchStrategy.Offload)]
    public static FileStream Open(string path, FileMode mode, FileAccess access, FileShare share) =>
        FifoOpen.Open(path, () => File.Open(path, mode, access, share));

    /// <summary><see cref="File.Open(string, FileStreamOptions)"/>.</summary>
    [Patch(typeof(File), nameof(File.Open), PatchKind.Static, PatchStrategy.Offload)]
    public static FileStream Open(string path, FileStreamOptions options) => FifoOpen.Open(path, () => File.Open(path, options));

    /// <summary><see cref="File.OpenRead(string)"/>.</summary>
    [Patch(typeof(File), nameof(File.OpenRead), PatchKind.Static, PatchStrategy.Offload)]
    public static FileStream OpenRead(string path) => FifoOpen.Open(path, () => File.OpenRead(path));

    /// <summary><see cref="File.OpenWrite(string)"/>.</summary>
    [Patch(typeof(File), nameof(File.OpenWrite), PatchKind.Static, PatchStrategy.Offload)]
    public static FileStream OpenWrite(string path) => FifoOpen.Open(path, () => File.OpenWrite(path));

    /// <summary><see cref="File.OpenHandle(string, FileMode, FileAccess, FileShare, FileOptions, long)"/>.</summary>
    [Patch(typeof(File), nameof(File.OpenHandle), PatchKind.Static, PatchStrategy.Offload)]
    public static SafeFileHandle OpenHandle(string path, FileMode mode, FileAccess access, FileShare share, FileOptions options, long preallocationSize) =>
        FifoOpen.Open(path, () => File.OpenHandle(path, mode, access, share, options, preallocationSize));
}
