using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;

namespace Gevent.Tests.Patches.Pipes;

/// <summary>Pipes and FIFOs for the pipe tests, made and cleaned up without blocking the test thread.</summary>
internal static class PipeKit
{
    private const int F_GETPIPE_SZ = 1032;
    private const int O_RDWR = 2;
    private const int O_CLOEXEC = 0x80000;

    /// <summary>Every name twice: outside a greenlet (false) and in one (true).</summary>
    public static TheoryData<string, bool> InAndOutOfGreenlets(IEnumerable<string> names)
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in names)
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    /// <summary>
    /// The two ends of a pipe: <see cref="Out"/> writes what <see cref="In"/> reads. Either an anonymous pipe
    /// (<see cref="PipeStream"/>s) or a FIFO opened as two unbuffered <see cref="FileStream"/>s.
    /// </summary>
    public sealed class PipePair : IDisposable
    {
        private readonly IDisposable? _owner;

        public PipePair()
        {
            var server = new AnonymousPipeServerStream(PipeDirection.Out);
            Out = server;
            In = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);

            // .NET wraps a pipe's descriptor in a Socket on the handle's first read or write, and when two threads
            // make that first call at once both create one: the loser's is disposed, closing the descriptor under the
            // winner. Its read then fails (ECANCELED) or reads whatever file reuses the number, and the pipe's own close
            // later closes that file too (a process test running alongside lost its pipes and hung). One byte through
            // first, so the tests' concurrent calls only race as they mean to.
            server.WriteByte(0);
            In.ReadExactly(new byte[1]);
        }

        private PipePair(Fifo fifo)
        {
            _owner = fifo;
            (In, Out) = fifo.OpenEnds(bufferSize: 1);
        }

        public Stream Out { get; }

        public Stream In { get; }

        public static PipePair OverFifo() => new(new Fifo());

        /// <summary>"pipe" for an anonymous pipe, "fifo" for a FIFO.</summary>
        public static PipePair Of(string kind) => kind == "fifo" ? OverFifo() : new PipePair();

        /// <summary>An auto-flushing writer over <see cref="Out"/>, as <c>Process.StandardInput</c> is.</summary>
        public StreamWriter Writer() => new(Out, new UTF8Encoding(false), 1024, leaveOpen: true) { AutoFlush = true };

        public StreamReader Reader() => new(In, Encoding.UTF8, false, 1024, leaveOpen: true);

        /// <summary>Fills the pipe to its capacity, so that the next write blocks until <see cref="Drain"/>; returns the capacity.</summary>
        public int Fill()
        {
            var handle = Out is FileStream file ? (SafeHandle)file.SafeFileHandle : ((PipeStream)Out).SafePipeHandle;
            var capacity = fcntl(handle.DangerousGetHandle(), F_GETPIPE_SZ);
            Assert.True(capacity > 0, $"F_GETPIPE_SZ failed: errno {Marshal.GetLastPInvokeError()}");
            Out.Write(new byte[capacity]);
            return capacity;
        }

        /// <summary>
        /// Reads what the pipe holds, up to 64 KiB (it must hold something), making room for a blocked write. A larger
        /// buffer would be a large-object allocation, whose collections pause the hub being measured.
        /// </summary>
        public int Drain() => In.Read(new byte[1 << 16]);

        /// <summary>Reads everything written until <see cref="Out"/> was closed.</summary>
        public byte[] ReadToEnd()
        {
            var all = new MemoryStream();
            In.CopyTo(all);
            return all.ToArray();
        }

        /// <summary>
        /// Disposes the read end first, which fails writes still blocked on pool threads (interrupted ones): the
        /// BCL's Dispose of a pipe end waits for a write in progress on it.
        /// </summary>
        public IDisposable ClosingReadEndFirst() => _owner is null ? new Disposer(In, Out) : new Disposer(In, Out, _owner);

        /// <summary>Disposes the write end first, which ends reads still blocked on pool threads.</summary>
        public void Dispose()
        {
            Out.Dispose();
            In.Dispose();
            _owner?.Dispose();
        }
    }

    /// <summary>A FIFO in a fresh temporary directory, removed with it.</summary>
    public sealed class Fifo : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gevent-fifo");
        private int _keeper = -1;

        public Fifo()
        {
            Path = System.IO.Path.Combine(_directory.FullName, "fifo");
            Assert.Equal(0, mkfifo(Encoding.UTF8.GetBytes(Path + "\0"), Convert.ToUInt32("600", 8)));
        }

        public string Path { get; }

        /// <summary>Both ends, opened without blocking: a read-write open (never blocking on Linux) is there first.</summary>
        public (FileStream Reader, FileStream Writer) OpenEnds(int bufferSize = 4096)
        {
            using var both = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite);
            return (new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize),
                new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize));
        }

        /// <summary>
        /// Holds both ends open until disposed, which releases every open of the FIFO blocked now. A raw descriptor:
        /// a FileStream would take the BCL's advisory lock, which an open with <see cref="FileShare.None"/> refuses.
        /// </summary>
        public void Keep()
        {
            if (_keeper < 0)
            {
                _keeper = open(Encoding.UTF8.GetBytes(Path + "\0"), O_RDWR | O_CLOEXEC);
                Assert.True(_keeper >= 0, $"open failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }

        /// <summary>Releases any open of the FIFO still blocked (on a pool thread, after an interruption), then removes it.</summary>
        public void Dispose()
        {
            Keep();
            close(_keeper);
            _directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// <paramref name="create"/>, after <paramref name="warm"/> has run once in the test's main greenlet and the hub's
    /// pool has all its threads: the first call of a replacement compiles its offloaded path on the hub's thread, and
    /// starting a pool thread waits for it to run; on a loaded machine either can hold the hub longer than
    /// <see cref="BlockedAtOnce"/>'s ticker allows (a running application has both done long before).
    /// </summary>
    public static Func<BlockedAtOnce.Subject> AfterWarmUp(Action warm, Func<BlockedAtOnce.Subject> create)
    {
        var warmed = false;
        return () =>
        {
            if (!warmed)
            {
                warm();
                var pool = Hub.Current.ThreadPool;
                pool.Map(Enumerable.Range(0, pool.Size), _ =>
                {
                    // Long enough that every job gets a thread of its own; threads then idle for seconds.
                    Thread.Sleep(20);
                    return 0;
                });
                warmed = true;
            }

            return create();
        };
    }

    /// <summary>Disposes the given resources in order.</summary>
    public sealed class Disposer(params IDisposable[] resources) : IDisposable
    {
        public void Dispose()
        {
            foreach (var resource in resources)
            {
                resource.Dispose();
            }
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(byte[] path, uint mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(nint fd, int command);

    [DllImport("libc", SetLastError = true)]
    private static extern int open(byte[] path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
