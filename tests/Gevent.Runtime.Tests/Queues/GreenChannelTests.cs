namespace Gevent.Runtime.Tests.Queues;

public class GreenChannelTests
{
    [Fact]
    public void PutAndGet_MeetInGeventsOrder() => HubTest.Run(() =>
    {
        // gevent's test_queue.TestChannel.test_send.
        var channel = new GreenChannel<string>();
        var events = new List<string>();
        var getter = Greenlet.Spawn(() =>
        {
            events.Add(channel.Get());
            events.Add(channel.Get());
        });

        events.Add("sending");
        channel.Put("hello");
        events.Add("sent hello");
        channel.Put("world");
        events.Add("sent world");

        getter.Get();
        Assert.Equal(["sending", "hello", "sent hello", "world", "sent world"], events);
    });

    [Fact]
    public void Put_WaitsForAGetter() => HubTest.Run(() =>
    {
        var channel = new GreenChannel<int>();
        var putter = Greenlet.Spawn(() => channel.Put(1));
        Greenlet.Yield();
        Assert.False(putter.Dead);
        Assert.Equal(1, channel.Get());
        Assert.True(putter.Join(TimeSpan.FromSeconds(10)));
    });

    [Fact]
    public void Timeouts_ThrowEmptyAndFull() => HubTest.Run(() =>
    {
        var channel = new GreenChannel<int>();
        Assert.False(channel.TryGet(out _));
        Assert.False(channel.TryPut(1));
        Assert.Throws<QueueEmptyException>(() => channel.Get(TimeSpan.FromMilliseconds(2)));
        Assert.Throws<QueueFullException>(() => channel.Put(1, TimeSpan.FromMilliseconds(2)));

        // The timed-out putter left: a later getter must not receive its item.
        Assert.Throws<QueueEmptyException>(() => channel.Get(TimeSpan.Zero));
    });
}
