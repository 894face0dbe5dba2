using Gevent.Loop;

namespace Gevent.Tests.Loop;

/// <summary>A stopped io watcher's kernel registration is dropped at the next poll, not at once.</summary>
public class LazyIoRegistrationTests
{
    [Fact]
    public void AWatcherStoppedAndRestartedBeforeThePollKeepsItsRegistrationAndStillWakes()
    {
        HubTest.Run(() =>
        {
            var (left, right) = EventLoopTests.SocketPair();
            using (left)
            using (right)
            {
                var hub = Hub.Current;
                right.Send(new byte[] { 1 });
                Assert.True(hub.WaitForIo(left, IoEvents.Read, TimeSpan.FromSeconds(10)));
                left.Receive(new byte[1]);
                Assert.Equal(1, hub.Loop.RegisteredSockets);

                var reader = Greenlet.Spawn(() => hub.WaitForIo(left, IoEvents.Read, null));
                Greenlet.Yield();
                right.Send(new byte[] { 2 });
                Assert.True(reader.Join(TimeSpan.FromSeconds(10)), "a re-started watcher on a still-registered socket did not wake");
            }
        });
    }

    [Fact]
    public void AStoppedWatcherIsUnregisteredAtTheNextPollSoPendingDataCannotWakeTheLoop()
    {
        HubTest.Run(() =>
        {
            var (left, right) = EventLoopTests.SocketPair();
            using (left)
            using (right)
            {
                var hub = Hub.Current;
                Assert.True(hub.WaitForIo(left, IoEvents.Write, TimeSpan.FromSeconds(10)));
                Assert.False(hub.WaitForIo(left, IoEvents.Read, TimeSpan.FromMilliseconds(5)));

                // Unread data stays pending; a left-over level-triggered registration would report it on every poll.
                right.Send(new byte[] { 1 });
                Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
                Assert.Equal(0, hub.Loop.RegisteredSockets);
                Assert.True(Greenlet.Wait(TimeSpan.FromSeconds(10)));
            }
        });
    }
}
