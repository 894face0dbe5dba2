using System.Diagnostics;

namespace Gevent.Weaver.Tests;

/// <summary>The woven code run inside greenlets (concurrently) and outside them (exactly as before).</summary>
public class ConcurrencyTests
{
    /// <summary>
    /// Long enough that what a loaded machine adds per greenlet stays well under it: the bound below (25 periods) is
    /// missed only when each of the 50 greenlets adds about half a period (at a load average of 40 they added
    /// 100–140 ms each, and with 200 ms periods 50 took 5.2–7.2 s against a 5 s bound).
    /// </summary>
    private const int Period = 1000;

    /// <summary>
    /// Enough greenlets that their serial time (50 periods) stands far above what a loaded machine adds to one period
    /// (2.4 s was seen with the load average in the hundreds).
    /// </summary>
    private const int Greenlets = 50;

    /// <summary>Half the serial time: tells concurrent from serial with room for a loaded machine.</summary>
    private const int Bound = Period * Greenlets / 2;

    /// <summary>Each scenario blocks for about one period; the ones with a shared lock are left out (see Monitor).</summary>
    public static TheoryData<string> SleepScenarios => new()
    {
        "Plain", "Span", "Lambda", "LocalFunction", "MethodGroup", "Iterator", "Async", "TryCatchFinally",
    };

    [Theory]
    [MemberData(nameof(SleepScenarios))]
    public void ManyGreenletsBlockingTogetherFinishInAboutOnePeriod(string scenario)
    {
        HubTest.Run(() =>
        {
            var stopwatch = Stopwatch.StartNew();
            var greenlets = Enumerable.Range(0, Greenlets).Select(_ => Greenlet.Spawn(() => Woven.Call("Sleeping", scenario, Period))).ToList();
            Greenlet.JoinAll(greenlets, throwOnError: true);
            Assert.InRange(stopwatch.ElapsedMilliseconds, Period - 10, Bound);
        });
    }

    [Fact]
    public void ALockWithIoInsideCooperatesWhenEachGreenletHasItsOwnLock()
    {
        HubTest.Run(() =>
        {
            var stopwatch = Stopwatch.StartNew();
            var greenlets = Enumerable.Range(0, Greenlets).Select(_ => Greenlet.Spawn(() => Woven.Call("Sleeping", "LockWithSleepInside", Period, new object()))).ToList();
            Greenlet.JoinAll(greenlets, throwOnError: true);
            Assert.InRange(stopwatch.ElapsedMilliseconds, Period - 10, Bound);
        });
    }

    [Fact]
    public void InAGreenletResultsAndExceptionsAreThoseOfTheOriginal()
    {
        HubTest.Run(() =>
        {
            Assert.Equal(Woven.Call(Woven.Original, "Sleeping", "TryCatchFinally", 1), Woven.Call("Sleeping", "TryCatchFinally", 1));
            Assert.Equal(42, Woven.Call("Sleeping", "Async", 1));
            Assert.Equal(3, Woven.Call("Sleeping", "Iterator", 2));
            Assert.Equal(true, Woven.Call("Sleeping", "YieldOnce"));
            Assert.Throws<ArgumentOutOfRangeException>(() => Woven.Call("Sleeping", "Plain", -2));
        });
    }

    [Theory]
    [InlineData("Plain")]
    [InlineData("Iterator")]
    [InlineData("TryCatchFinally")]
    public void OutsideAGreenletTheWovenCodeBlocksAndBehavesLikeTheOriginal(string scenario)
    {
        // xunit's thread is not a greenlet: the replacement calls the original.
        var stopwatch = Stopwatch.StartNew();
        var woven = Woven.Call("Sleeping", scenario, 40);
        Assert.True(stopwatch.ElapsedMilliseconds >= 39, $"{scenario} returned after {stopwatch.ElapsedMilliseconds} ms");
        Assert.Equal(Woven.Call(Woven.Original, "Sleeping", scenario, 40), woven);
        Assert.Equal(
            Record.Exception(() => Woven.Call(Woven.Original, "Sleeping", "Plain", -2))?.GetType(),
            Record.Exception(() => Woven.Call("Sleeping", "Plain", -2))?.GetType());
    }

    [Fact]
    public void TheSocketClientAndServerStillWork()
    {
        Assert.Equal("ping", Woven.Call("Sockets", "EchoOnce", "ping"));
    }
}
