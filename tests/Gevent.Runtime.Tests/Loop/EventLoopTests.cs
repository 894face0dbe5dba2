using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gevent.Loop;

namespace Gevent.Tests.Loop;

public class EventLoopTests
{
    [Fact]
    public void TheLoopUsesTheConfiguredBackend()
    {
        HubTest.Run(() =>
        {
            var expected = GeventConfig.Current.Loop == LoopBackendKind.Epoll ? "epoll" : "select";
            Assert.Equal(expected, Hub.Current.Loop.Backend);
        });
    }

    [Fact]
    public void CallbacksRunInFifoOrder()
    {
        HubTest.Run(() =>
        {
            var order = new List<int>();
            for (var i = 0; i < 100; i++)
            {
                var index = i;
                Hub.Current.Loop.RunCallback(() => order.Add(index));
            }

            Greenlet.Yield();
            Assert.Equal(Enumerable.Range(0, 100), order);
        });
    }

    [Fact]
    public void AnExceptionInATimerCallbackDoesNotStopTheHub()
    {
        HubTest.Run(() =>
        {
            var errors = HubTest.CaptureErrors();
            var later = false;
            Hub.Current.Loop.StartTimer(TimeSpan.FromMilliseconds(1), () => throw new InvalidOperationException("timer broke"));
            Hub.Current.Loop.StartTimer(TimeSpan.FromMilliseconds(5), () => later = true);
            Greenlet.Sleep(TimeSpan.FromMilliseconds(30));
            Assert.True(later);
            Assert.Equal("timer broke", Assert.Single(errors).Exception.Message);
        });
    }

    [Fact]
    public void ACancelledTimerDoesNotFire()
    {
        HubTest.Run(() =>
        {
            var fired = false;
            var timer = Hub.Current.Loop.StartTimer(TimeSpan.FromMilliseconds(5), () => fired = true);
            Assert.True(timer.Pending);
            timer.Dispose();
            Assert.False(timer.Pending);
            Greenlet.Sleep(TimeSpan.FromMilliseconds(30));
            Assert.False(fired);
        });
    }

    [Fact]
    public void ThreadSafeCallbacksWakeAPollingLoop()
    {
        HubTest.Run(() =>
        {
            var loop = Hub.Current.Loop;
            var received = new List<int>();
            var sender = new Thread(() =>
            {
                for (var i = 0; i < 100; i++)
                {
                    var value = i;
                    loop.RunCallbackThreadSafe(() => received.Add(value));
                }
            });
            var stopwatch = Stopwatch.StartNew();
            sender.Start();

            // The main greenlet polls with a long timeout; only the cross-thread wake-ups can end it early.
            while (received.Count < 100 && stopwatch.Elapsed < TimeSpan.FromSeconds(20))
            {
                GreenTimeout.TryRun(TimeSpan.FromSeconds(5), () => Greenlet.Sleep(TimeSpan.FromMilliseconds(1)));
            }

            sender.Join();
            Assert.Equal(Enumerable.Range(0, 100), received);
        });
    }

    [Fact]
    public void APostWakesTheLoopEvenWhenAnEarlierRaceLeftTheWakeUpFlagSet()
    {
        // A post whose item an ongoing take already grabbed, but whose flag write came after the take reset
        // the flag, leaves it set with nothing queued. The interleaving is nanoseconds wide, so it is set up
        // here directly; the next post from another thread must still wake the sleeping loop.
        HubTest.Run(() =>
        {
            var loop = Hub.Current.Loop;
            var flag = typeof(EventLoop).GetField("_wakeRequested", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
            Assert.NotNull(flag);
            var arrived = new GreenEvent();
            for (var round = 0; round < 3; round++)
            {
                Greenlet.Yield();
                flag.SetValue(loop, 1);
                var sender = new Thread(() =>
                {
                    Thread.Sleep(50);
                    loop.RunCallbackThreadSafe(arrived.Set);
                });
                // Started before the sender, whose 50 ms a loaded machine may begin before this thread runs again.
                var stopwatch = Stopwatch.StartNew();
                sender.Start();
                Assert.True(arrived.Wait(TimeSpan.FromSeconds(10)));
                Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(45), TimeSpan.FromSeconds(5));
                sender.Join();
                arrived.Clear();
            }
        });
    }

    [Fact]
    public void APendingOutsideOperationKeepsTheLoopFromExiting()
    {
        HubTest.Run(() =>
        {
            var hub = Hub.Current;
            var token = new WakeToken(Greenlet.Current);
            hub.Loop.AddAsyncRef();
            var worker = new Thread(() =>
            {
                Thread.Sleep(30);
                hub.Loop.PostThreadSafe(_ =>
                {
                    hub.Loop.ReleaseAsyncRef();
                    hub.Wake(token);
                }, null);
            });
            worker.Start();
            hub.Block("an operation on another thread");
            worker.Join();
        });
    }

    [Fact]
    public void AGreenletWaitsForASocketToBecomeReadable()
    {
        HubTest.Run(() =>
        {
            var (left, right) = SocketPair();
            using (left)
            using (right)
            {
                var hub = Hub.Current;
                var got = 0;
                var reader = Greenlet.Spawn(() =>
                {
                    Assert.True(hub.WaitForIo(left, IoEvents.Read, timeout: null));
                    got = left.Receive(new byte[8]);
                });
                Greenlet.Yield();
                Assert.False(reader.Dead);
                right.Send(new byte[] { 1, 2, 3 });
                reader.Get(TimeSpan.FromSeconds(10));
                Assert.Equal(3, got);
            }
        });
    }

    [Fact]
    public void YieldingInALoopCannotStarveSocketReadinessOrCrossThreadCallbacks()
    {
        HubTest.Run(() =>
        {
            var (left, right) = SocketPair();
            using (left)
            using (right)
            {
                var hub = Hub.Current;
                var readerWoke = false;
                var callbackRan = false;
                var reader = Greenlet.Spawn(() =>
                {
                    hub.WaitForIo(left, IoEvents.Read, timeout: null);
                    readerWoke = true;
                });
                Greenlet.Yield();
                var sender = new Thread(() =>
                {
                    right.Send(new byte[] { 1 });
                    hub.Loop.RunCallbackThreadSafe(() => callbackRan = true);
                });
                sender.Start();
                var stopwatch = Stopwatch.StartNew();
                while (!(readerWoke && callbackRan) && stopwatch.Elapsed < TimeSpan.FromSeconds(20))
                {
                    Greenlet.Yield();
                }

                sender.Join();
                Assert.True(readerWoke, "the socket became readable but the yielding loop never polled");
                Assert.True(callbackRan, "the cross-thread callback never ran while the loop kept yielding");
                Assert.True(reader.Dead);
            }
        });
    }

    [Fact]
    public void AnIoWaitTimesOutAndATimeoutOrKillInterruptsIt()
    {
        HubTest.Run(() =>
        {
            var (left, right) = SocketPair();
            using (left)
            using (right)
            {
                var hub = Hub.Current;
                Assert.False(hub.WaitForIo(left, IoEvents.Read, TimeSpan.FromMilliseconds(10)));
                Assert.Throws<GreenTimeoutException>(() => GreenTimeout.Run(TimeSpan.FromMilliseconds(10), () => hub.WaitForIo(left, IoEvents.Read, null)));

                var reader = Greenlet.Spawn(() => hub.WaitForIo(left, IoEvents.Read, null));
                Greenlet.Yield();
                reader.Kill();
                Assert.True(reader.Successful);

                // The watchers were removed: a fresh wait works and sees the data.
                right.Send(new byte[] { 9 });
                Assert.True(hub.WaitForIo(left, IoEvents.Read, TimeSpan.FromSeconds(10)));
                Assert.True(hub.WaitForIo(left, IoEvents.Write, TimeSpan.FromSeconds(10)));
            }
        });
    }

    [Fact]
    public void TwoGreenletsReadingOneSocketIsConcurrentObjectUse()
    {
        HubTest.Run(() =>
        {
            var (left, right) = SocketPair();
            using (left)
            using (right)
            {
                var hub = Hub.Current;
                var first = Greenlet.Spawn(() => hub.WaitForIo(left, IoEvents.Read, null));
                first.Name = "first reader";
                Greenlet.Yield();
                var thrown = Assert.Throws<ConcurrentObjectUseException>(() => hub.WaitForIo(left, IoEvents.Read, null));
                Assert.Contains("first reader", thrown.Message);
                first.Kill();
            }
        });
    }

    internal static (Socket Left, Socket Right) SocketPair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var left = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        left.Connect(listener.LocalEndPoint!);
        var right = listener.Accept();
        return (left, right);
    }
}
