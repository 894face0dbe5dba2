using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Gevent.Loop;
using Gevent.Loop.Native;

namespace Gevent.Tests.Loop;

/// <summary>Crashes the 10-minute soak found on threads the runtime owns (docs/soak.md): each must reach the error handler.</summary>
public partial class SoakRegressionTests
{
    [Fact]
    public void AFailedKernelUpdateInAFinishingGreenletsHandOffGoesToTheErrorHandler()
    {
        if (!Libc.HasEpoll)
        {
            return;
        }

        var file = Path.GetTempFileName();
        try
        {
            HubTest.Run(() =>
            {
                if (Hub.Current.Loop.Backend != "epoll")
                {
                    return;
                }

                var errors = HubTest.CaptureErrors();
                var (left, right) = EventLoopTests.SocketPair();
                using (left)
                using (right)
                using (var regular = File.OpenHandle(file))
                {
                    var hub = Hub.Current;
                    var reader = Greenlet.Spawn(() => hub.WaitForIo(left, IoEvents.Read, TimeSpan.FromSeconds(30)));
                    var writer = Greenlet.Spawn(() =>
                    {
                        // Ready at once: its watcher stops, so the next poll must bring the kernel down to Read only.
                        Assert.True(hub.WaitForIo(left, IoEvents.Write, TimeSpan.FromSeconds(30)));

                        // The descriptor now names a regular file, which epoll refuses: that update fails on the
                        // thread of this greenlet's hand-off, once it has finished.
                        Assert.Equal((int)left.SafeHandle.DangerousGetHandle(), dup2((int)regular.DangerousGetHandle(), (int)left.SafeHandle.DangerousGetHandle()));
                    });

                    // The main greenlet sleeps rather than joins, so the finishing writer polls the loop itself; it
                    // sleeps until the error is in, as on a busy machine the writer may take longer than any one sleep.
                    var waited = Stopwatch.StartNew();
                    do
                    {
                        Greenlet.Sleep(TimeSpan.FromMilliseconds(200));
                    }
                    while (errors.Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(30));

                    writer.Get();
                    var (greenlet, error) = Assert.Single(errors);
                    Assert.Null(greenlet);
                    Assert.Contains("epoll_ctl", error.Message);

                    // The reader's watcher was fired so its greenlet sees the failure itself, not a wait forever.
                    Assert.True(reader.Join(TimeSpan.FromSeconds(5)));
                    Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
                    Assert.Equal(0, hub.Loop.RegisteredSockets);
                }
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public unsafe void AWakeAfterDisposeWritesToNoDescriptor()
    {
        if (!Libc.HasEpoll)
        {
            return;
        }

        var backend = new EpollBackend();
        backend.Dispose();

        // The lowest free numbers are reused first: these two most likely took the epoll descriptor's and the eventfd's.
        var first = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        var second = Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK);
        try
        {
            backend.Wake();
            ulong value;
            Assert.True(Libc.read(first, &value, sizeof(ulong)) < 0, "the wake-up was written to a reused descriptor");
            Assert.True(Libc.read(second, &value, sizeof(ulong)) < 0, "the wake-up was written to a reused descriptor");
        }
        finally
        {
            Libc.close(first);
            Libc.close(second);
        }
    }

    [Fact]
    public void PostsRacingDisposalNeitherThrowNorHang()
    {
        if (!Libc.HasEpoll)
        {
            return;
        }

        for (var round = 0; round < 50; round++)
        {
            var backend = new EpollBackend();
            using var start = new Barrier(5);
            var posters = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < 200; i++)
                {
                    backend.Wake();
                }
            })).ToList();
            posters.ForEach(t => t.Start());
            start.SignalAndWait();
            backend.Dispose();
            posters.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(30))));
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int dup2(int oldfd, int newfd);
}
