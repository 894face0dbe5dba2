using ResumableCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// An interpolated string handler's <c>AppendFormatted&lt;T&gt;</c> over a woven type
/// (testassets/ResumableCases/Formatting.cs) runs only the value's formatting members: where they do not wait the call is
/// no site, and the method's waits run stackless with the original's log; where the formatting waits the call still pins.
/// </summary>
public sealed class FormattingCallsTests
{
    /// <summary>The methods of Formatting.cs the frames pass rewrites.</summary>
    public static readonly string[] Rewritten = ["FormattingRuns::Run", "Dial::GetService"];

    [Fact]
    public void FormattingAValueWhoseToStringDoesNotWaitPinsNothing()
    {
        var sites = WovenResumable.PinReasons();

        Assert.Equal([], sites["ResumableCases.FormattingRuns::Run"].Order());
        // A TryFormat that waits is run under the handler's frame: the site may suspend, and pins.
        Assert.Contains(PinReason.UnwovenFrame, sites["ResumableCases.LoudFormattingRuns::Run"]);
    }

    [Fact]
    public void WaitsBesideInterpolatedStringsRunStacklessWithTheOriginalsLog()
    {
        var original = new FormattingRuns();
        original.Run();
        Assert.Equal(["dial #1 of ResumableCases.Dial[] beside ResumableCases.LoudDial[]", "dial #2 of ResumableCases.Dial[] beside ResumableCases.LoudDial[]"], original.Log);
        HubTest.Run(() =>
        {
            var (woven, greenlet, turns) = StacklessTurns.RunWoven(typeof(FormattingRuns), nameof(FormattingRuns.Run));

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(original.Result, WovenResumable.Result(woven));
            Assert.Equal(2, turns);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void FormattingThatWaitsUnderTheHandlerPins()
    {
        var original = new LoudFormattingRuns();
        original.Run();
        HubTest.Run(() =>
        {
            var (woven, greenlet, turns) = StacklessTurns.RunWoven(typeof(LoudFormattingRuns), nameof(LoudFormattingRuns.Run));

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(0, turns);
            Assert.False(WovenResumable.IsResumable(WovenResumable.TypeOf(typeof(LoudFormattingRuns)).GetMethod(nameof(LoudFormattingRuns.Run))!));
        });
    }
}
