using Gevent.Loop;

namespace Gevent.Tests.Loop;

public class TimerHeapTests
{
    [Fact]
    public void TimersComeOutByDueTimeThenStartOrderThroughAnyMixOfStartsAndCancels()
    {
        HubTest.Run(() =>
        {
            var loop = Hub.Current.Loop;
            var random = new Random(18);
            var heap = new TimerHeap();
            var expected = new List<(long Due, int Order, LoopTimer Timer)>();
            var started = 0;
            for (var step = 0; step < 20_000; step++)
            {
                var roll = random.Next(10);
                if (roll < 5 || expected.Count == 0)
                {
                    // Few distinct deadlines, so that many timers tie and their start order decides.
                    var due = (long)random.Next(64);
                    var timer = new LoopTimer(loop, due, static _ => { }, null, keepsLoopAlive: false);
                    heap.Add(timer);
                    Assert.True(timer.Pending);
                    expected.Add((due, started++, timer));
                }
                else if (roll < 8)
                {
                    var cancelled = expected[random.Next(expected.Count)];
                    heap.Remove(cancelled.Timer);
                    Assert.False(cancelled.Timer.Pending);
                    expected.Remove(cancelled);
                }
                else
                {
                    var first = expected.OrderBy(e => e.Due).ThenBy(e => e.Order).First();
                    Assert.Same(first.Timer, heap.Peek());
                    heap.Remove(first.Timer);
                    expected.Remove(first);
                }

                Assert.Equal(expected.Count, heap.Count);
            }

            foreach (var next in expected.OrderBy(e => e.Due).ThenBy(e => e.Order))
            {
                Assert.Same(next.Timer, heap.Peek());
                heap.Remove(next.Timer);
            }

            Assert.Null(heap.Peek());
        });
    }
}
