using System.Diagnostics;
using Gevent.CompilerServices;

namespace Gevent.Tests.Greenlets.Stackless;

/// <summary>
/// Stackless greenlets own no thread: many of them asleep add none to the process. Run alone, since the
/// process's thread count is what it reads.
/// </summary>
[Collection(SequentialCollection.Name)]
public class ManyStacklessGreenletsTests
{
    [Fact]
    public void TenThousandSleepingStacklessGreenletsTakeNoThreadEach()
    {
        HubTest.Run(() =>
        {
            const int count = 10_000;
            var before = Process.GetCurrentProcess().Threads.Count;
            var sleepers = new List<Greenlet>(count);
            for (var i = 0; i < count; i++)
            {
                sleepers.Add(ResumableGreenlet.Spawn([Resumable] () => Woven.SleepTimes(1, TimeSpan.FromMilliseconds(300), null)));
            }

            Greenlet.Yield();
            var parked = sleepers.Count(g => !g.Dead);
            var withThread = sleepers.Count(g => g.Carrier is not null);
            var during = Process.GetCurrentProcess().Threads.Count;

            Greenlet.JoinAll(sleepers);

            Assert.Equal(count, parked);
            Assert.All(sleepers, g => Assert.NotNull(g.Frames));
            Assert.Equal(0, withThread);
            Assert.True(during - before < 10, $"{during - before} threads more with {count} stackless greenlets asleep");
            Assert.All(sleepers, g => Assert.True(g.Successful));
        }, timeoutSeconds: 120);
    }
}
