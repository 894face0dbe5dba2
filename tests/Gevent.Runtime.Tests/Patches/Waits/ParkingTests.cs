using Gevent.Patches;


namespace Gevent.Tests.Patches.Waits;

public class ParkingTests
{
    [Fact]
    public void AnAwaitableThatCompletesTwiceWakesTheGreenletOnceAndDoesNotThrowOnItsThread()
    {
        var source = new TwiceCompletingSource();
        var result = 0;
        HubTest.Run(() =>
        {
            var awaiter = new ValueTask<int>(source, 0).GetAwaiter();
            result = AwaiterPatches.GetResult(ref awaiter);
        });

        Assert.Equal(42, result);
        Assert.True(source.WaitForSecondCall(TimeSpan.FromSeconds(30)), "the source never called its continuation a second time");
        Assert.Null(source.SecondCallFailure);
    }
}
