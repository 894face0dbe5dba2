using Gevent.Greenlets.Threads;
using Gevent.Loop.Native;

namespace Gevent.Tests.Greenlets.Threads;

public class FutexHashTests
{
    [Fact]
    public void TheFirstHubGivesTheProcessAFutexSlotPerAllowedGreenlet()
    {
        HubTest.Run(() => Assert.NotNull(Hub.Current));
        var supported = OperatingSystem.IsLinux() && Libc.prctl(Libc.PR_FUTEX_HASH, Libc.PR_FUTEX_HASH_GET_SLOTS, 0, 0, 0) >= 0;
        if (supported)
        {
            // A private hash must not be smaller than the greenlets that may wait in it (0 means the large global hash).
            var slots = FutexHash.Slots;
            Assert.True(slots == 0 || slots >= Math.Min(GeventConfig.Current.MaxGreenlets, 1 << 16), $"{slots} futex hash slots");
        }
        else
        {
            Assert.Equal(0, FutexHash.Slots);
        }
    }
}
