using System.Reflection;
using ResumableCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// <c>Interlocked</c>'s generic members over a woven type (testassets/ResumableCases/Exchanges.cs): no suspension point,
/// so a method that compare-exchanges an array element of that type is rewritten and its waits run stackless with the
/// original's log.
/// </summary>
public sealed class InterlockedCallsTests
{
    /// <summary>The methods of Exchanges.cs the frames pass rewrites.</summary>
    public static readonly string[] Rewritten = ["ExchangeRuns::Run", "ExchangeRuns::Close", "Slot::GetService"];

    [Fact]
    public void AnInterlockedExchangeOfAnArrayElementPinsNothing()
    {
        var sites = WovenResumable.PinReasons();
        Assert.Equal([], sites["ResumableCases.ExchangeRuns::Close"].Order());
        Assert.Equal([], sites["ResumableCases.ExchangeRuns::Run"].Order());
        Assert.True(WovenResumable.IsResumable(WovenResumable.TypeOf(typeof(ExchangeRuns)).GetMethod("Close", BindingFlags.NonPublic | BindingFlags.Instance)!));
    }

    [Fact]
    public void WaitsBesideInterlockedExchangesRunStacklessWithTheOriginalsLog()
    {
        var original = new ExchangeRuns();
        original.Run();
        Assert.Equal(["closed 1 after 0", "closed 2 after 1"], original.Log);
        HubTest.Run(() =>
        {
            var (woven, greenlet, turns) = StacklessTurns.RunWoven(typeof(ExchangeRuns), nameof(ExchangeRuns.Run));

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(original.Result, WovenResumable.Result(woven));
            Assert.Equal(2, turns);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }
}
