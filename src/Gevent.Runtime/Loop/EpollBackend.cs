using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Gevent.Loop.Native;

namespace Gevent.Loop;

/// <summary>Linux epoll, level-triggered, with an eventfd for wake-ups from other threads.</summary>
internal sealed unsafe class EpollBackend : PollBackend
{
    private const int MaxEvents = 256;
    private const ulong WakeData = ulong.MaxValue;

    // struct epoll_event is packed (12 bytes) on x86_64 and naturally aligned (16 bytes) on arm64.
    private static readonly int s_eventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int s_dataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    // Owned through SafeHandles: Wake, the one member other threads call, holds a reference across its write, so a
    // Dispose racing it closes the eventfd only after the write, never before it to let the number be reused.
    // The cached numbers serve the members the loop calls only for its baton holder (Poll, Update, Remove), which
    // must not run concurrently with Dispose, as for any IDisposable: they skip the reference counting on the hot path.
    private readonly FileDescriptorHandle _epoll;
    private readonly FileDescriptorHandle _wake;
    private readonly int _epfd;
    private readonly int _eventfd;

    // Pinned on the pinned-object heap: the kernel writes into it, and no finalizer is needed to free it.
    private readonly byte[] _eventBuffer = GC.AllocateArray<byte>(s_eventSize * MaxEvents, pinned: true);
    private readonly byte* _events;

    public EpollBackend()
    {
        _epfd = Libc.epoll_create1(Libc.EPOLL_CLOEXEC);
        if (_epfd < 0)
        {
            throw Libc.Error("epoll_create1");
        }

        _epoll = new FileDescriptorHandle(_epfd);
        _eventfd = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        if (_eventfd < 0)
        {
            var error = Libc.Error("eventfd");
            _epoll.Dispose();
            throw error;
        }

        _wake = new FileDescriptorHandle(_eventfd);
        _events = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_eventBuffer));
        Control(Libc.EPOLL_CTL_ADD, _eventfd, Libc.EPOLLIN, WakeData, "epoll_ctl(ADD eventfd)");
    }

    public override string Name => "epoll";

    public override void Update(IoRegistration registration)
    {
        var handle = registration.Socket.SafeHandle;
        if (handle.IsClosed || handle.IsInvalid)
        {
            throw new ObjectDisposedException(registration.Socket.GetType().FullName);
        }

        var fd = (int)handle.DangerousGetHandle();
        var events = ToEpoll(registration.Interest);
        var op = registration.Registered == IoEvents.None ? Libc.EPOLL_CTL_ADD : Libc.EPOLL_CTL_MOD;
        if (!TryControl(op, fd, events, (ulong)registration.Slot, out var errno))
        {
            // The kernel's view can differ from ours when a descriptor was closed and reused.
            var retry = errno == Libc.EEXIST ? Libc.EPOLL_CTL_MOD : errno == Libc.ENOENT ? Libc.EPOLL_CTL_ADD : -1;
            if (retry < 0 || !TryControl(retry, fd, events, (ulong)registration.Slot, out _))
            {
                throw Libc.Error($"epoll_ctl(fd {fd})");
            }
        }

        registration.Registered = registration.Interest;
    }

    public override void Remove(IoRegistration registration)
    {
        var handle = registration.Socket.SafeHandle;
        if (registration.Registered != IoEvents.None && !handle.IsClosed && !handle.IsInvalid)
        {
            // Fails harmlessly when the descriptor was closed meanwhile: the kernel dropped it already.
            TryControl(Libc.EPOLL_CTL_DEL, (int)handle.DangerousGetHandle(), 0, 0, out _);
        }

        registration.Registered = IoEvents.None;
    }

    public override void Poll(int timeoutMs, List<(int Slot, IoEvents Events)> ready)
    {
        var count = Libc.epoll_wait(_epfd, _events, MaxEvents, timeoutMs);
        if (count < 0)
        {
            if (Marshal.GetLastPInvokeError() == Libc.EINTR)
            {
                return;
            }

            throw Libc.Error("epoll_wait");
        }

        for (var i = 0; i < count; i++)
        {
            var entry = _events + (i * s_eventSize);
            var events = *(uint*)entry;
            var data = *(ulong*)(entry + s_dataOffset);
            if (data == WakeData)
            {
                ulong value;
                Libc.read(_eventfd, &value, sizeof(ulong));
                continue;
            }

            var readiness = IoEvents.None;
            if ((events & (Libc.EPOLLIN | Libc.EPOLLERR | Libc.EPOLLHUP | Libc.EPOLLRDHUP)) != 0)
            {
                readiness |= IoEvents.Read;
            }

            if ((events & (Libc.EPOLLOUT | Libc.EPOLLERR | Libc.EPOLLHUP)) != 0)
            {
                readiness |= IoEvents.Write;
            }

            ready.Add(((int)data, readiness));
        }
    }

    public override void Wake()
    {
        var added = false;
        try
        {
            // Throws once disposed: there is no loop left to wake, and the number may belong to another file by now.
            _wake.DangerousAddRef(ref added);
            ulong one = 1;
            Libc.write(_eventfd, &one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // A post that raced the loop's disposal: nothing will poll again.
        }
        finally
        {
            if (added)
            {
                _wake.DangerousRelease();
            }
        }
    }

    // A hub whose thread and greenlets are gone is collected like any object: the handles' finalizers close the descriptors.
    public override void Dispose()
    {
        _wake.Dispose();
        _epoll.Dispose();
    }

    private static uint ToEpoll(IoEvents events) =>
        ((events & IoEvents.Read) != 0 ? Libc.EPOLLIN | Libc.EPOLLRDHUP : 0) |
        ((events & IoEvents.Write) != 0 ? Libc.EPOLLOUT : 0);

    private void Control(int op, int fd, uint events, ulong data, string what)
    {
        if (!TryControl(op, fd, events, data, out _))
        {
            throw Libc.Error(what);
        }
    }

    private bool TryControl(int op, int fd, uint events, ulong data, out int errno)
    {
        var entry = stackalloc byte[16];
        *(uint*)entry = events;
        *(ulong*)(entry + s_dataOffset) = data;
        if (Libc.epoll_ctl(_epfd, op, fd, entry) == 0)
        {
            errno = 0;
            return true;
        }

        errno = Marshal.GetLastPInvokeError();
        return false;
    }
}
