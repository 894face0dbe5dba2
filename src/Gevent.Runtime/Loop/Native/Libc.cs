using System.Runtime.InteropServices;

namespace Gevent.Loop.Native;

/// <summary>The Linux system calls the epoll backend, the futex baton, CPU pinning and FIFO detection use.</summary>
internal static unsafe partial class Libc
{
    private const string Lib = "libc";

    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int ENOENT = 2;
    public const int EEXIST = 17;

    public const int EPOLL_CLOEXEC = 0x80000;
    public const int EPOLL_CTL_ADD = 1;
    public const int EPOLL_CTL_DEL = 2;
    public const int EPOLL_CTL_MOD = 3;
    public const uint EPOLLIN = 0x001;
    public const uint EPOLLOUT = 0x004;
    public const uint EPOLLERR = 0x008;
    public const uint EPOLLHUP = 0x010;
    public const uint EPOLLRDHUP = 0x2000;

    public const int EFD_CLOEXEC = 0x80000;
    public const int EFD_NONBLOCK = 0x800;

    private const int FUTEX_WAIT_PRIVATE = 128;
    private const int FUTEX_WAKE_PRIVATE = 129;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int epoll_create1(int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int epoll_ctl(int epfd, int op, int fd, void* ev);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int epoll_wait(int epfd, void* events, int maxevents, int timeout);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int eventfd(uint initval, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint read(int fd, void* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, void* buf, nint count);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int close(int fd);

    public const int PR_FUTEX_HASH = 78;
    public const int PR_FUTEX_HASH_SET_SLOTS = 1;
    public const int PR_FUTEX_HASH_GET_SLOTS = 2;

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int prctl(int option, nint arg2, nint arg3, nint arg4, nint arg5);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int connect(int fd, void* address, int addressLength);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int sched_setaffinity(int pid, nint cpusetsize, ulong* mask);

    [LibraryImport(Lib, SetLastError = true)]
    public static partial int sched_getaffinity(int pid, nint cpusetsize, ulong* mask);

    // syscall(2) is variadic; every argument here is an integer register, which the
    // x86_64 and arm64 Linux ABIs pass the same way for variadic and fixed calls.
    // No SetLastError: the futex calls are on the switch path and their errors need no handling.
    [LibraryImport(Lib, EntryPoint = "syscall")]
    private static partial nint syscall6(nint number, nint a1, nint a2, nint a3, nint a4, nint a5, nint a6);

    private static readonly nint s_sysFutex = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 202,
        Architecture.Arm64 => 98,
        _ => -1,
    };

    /// <summary>True where the futex baton can be used (Linux on x64 or arm64).</summary>
    public static bool HasFutex => OperatingSystem.IsLinux() && s_sysFutex >= 0;

    /// <summary>True where epoll and eventfd are available.</summary>
    public static bool HasEpoll => OperatingSystem.IsLinux() &&
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>
    /// Sleeps while <c>*address == expected</c>, at most <paramref name="timeout"/> if given; returns on
    /// wake, on mismatch, on timeout, or spuriously.
    /// </summary>
    public static void FutexWait(int* address, int expected, Timespec* timeout = null) =>
        syscall6(s_sysFutex, (nint)address, FUTEX_WAIT_PRIVATE, expected, (nint)timeout, 0, 0);

    /// <summary>Wakes at most one thread sleeping on <paramref name="address"/>.</summary>
    public static void FutexWake(int* address) =>
        syscall6(s_sysFutex, (nint)address, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);

    /// <summary>struct timespec on 64-bit Linux.</summary>
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    public const int AT_FDCWD = -100;
    public const uint STATX_TYPE = 0x1;
    public const int S_IFMT = 0xF000;
    public const int S_IFIFO = 0x1000;

    /// <summary>
    /// statx(2) into a <see cref="Statx"/>. Used instead of stat(2) because struct statx has one layout on
    /// every architecture, while struct stat differs between x64 and arm64.
    /// </summary>
    [LibraryImport(Lib, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int statx(int dirfd, string path, int flags, uint mask, Statx* buffer);

    /// <summary>struct statx (linux/stat.h): the fields up to <c>stx_mode</c>, padded to the kernel's 256 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct Statx
    {
        [FieldOffset(0)]
        public uint Mask;

        [FieldOffset(28)]
        public ushort Mode;
    }

    public static Exception Error(string call) =>
        new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())} (errno {Marshal.GetLastPInvokeError()})");
}
