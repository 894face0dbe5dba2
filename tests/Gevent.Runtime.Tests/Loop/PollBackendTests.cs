using Gevent.Loop;
using Gevent.Loop.Native;

namespace Gevent.Tests.Loop;

/// <summary>Both OS backends, driven directly, in every run (the hub-level suite runs on the configured one).</summary>
public class PollBackendTests
{
    public static TheoryData<string> Backends()
    {
        var data = new TheoryData<string> { "select" };
        if (Libc.HasEpoll)
        {
            data.Add("epoll");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void ReportsReadinessBySlot(string name)
    {
        using var backend = Create(name);
        var (left, right) = EventLoopTests.SocketPair();
        using (left)
        using (right)
        {
            var registration = new IoRegistration(left, 7) { Reader = Watcher(left, IoEvents.Read) };
            backend.Update(registration);
            var ready = new List<(int Slot, IoEvents Events)>();

            backend.Poll(0, ready);
            Assert.Empty(ready);

            right.Send(new byte[] { 1 });
            backend.Poll(5000, ready);
            Assert.Equal((7, IoEvents.Read), Assert.Single(ready));

            backend.Remove(registration);
            ready.Clear();
            backend.Poll(0, ready);
            Assert.Empty(ready);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void WakeInterruptsAPollFromAnotherThread(string name)
    {
        using var backend = Create(name);
        var waker = new Thread(() =>
        {
            Thread.Sleep(20);
            backend.Wake();
        });
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        waker.Start();
        backend.Poll(30_000, []);
        waker.Join();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"the poll was not woken ({stopwatch.Elapsed})");
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void AClosedSocketIsRefusedOnRegistration(string name)
    {
        using var backend = Create(name);
        var (left, right) = EventLoopTests.SocketPair();
        right.Dispose();
        left.Dispose();
        var registration = new IoRegistration(left, 0) { Reader = Watcher(left, IoEvents.Read) };
        Assert.Throws<ObjectDisposedException>(() => backend.Update(registration));
    }

    private static PollBackend Create(string name) => name == "epoll" ? new EpollBackend() : new SelectBackend();

    private static IoWatcher Watcher(System.Net.Sockets.Socket socket, IoEvents events) => new(socket, events, _ => { }, null);
}
