using Gevent.Loop.Native;

namespace Gevent.Patches;

/// <summary>
/// Tells a FIFO's path from any other, before opening it: open(2) of a FIFO blocks until the other end is
/// opened, open(2) of a regular file does not, and the BCL has no public way to ask a path's file type.
/// </summary>
internal static class FifoPaths
{
    /// <summary>
    /// Whether <paramref name="path"/> names a FIFO (through symbolic links, as open(2) follows them). A path that
    /// cannot be examined (missing, not allowed, malformed) is not one: the caller then opens it directly and the
    /// BCL reports the problem itself.
    /// </summary>
    public static unsafe bool IsFifo(string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Contains('\0') || !OperatingSystem.IsLinux())
        {
            return false;
        }

        Libc.Statx status;
        try
        {
            return Libc.statx(Libc.AT_FDCWD, path, 0, Libc.STATX_TYPE, &status) == 0
                && (status.Mask & Libc.STATX_TYPE) != 0
                && (status.Mode & Libc.S_IFMT) == Libc.S_IFIFO;
        }
        catch (EntryPointNotFoundException)
        {
            // A C library older than statx (glibc 2.28): opens stay direct, as they were before FIFOs were told apart.
            return false;
        }
    }
}
