using Gevent.CompilerServices;
using ResumableCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// Ref-struct locals (testassets/ResumableCases/RefStructs.cs): one dead at a yield, as an interpolated string's handler
/// is once the string is made, is not kept by the frame and does not stop the method being captured; one live across the
/// yield, or pointed into by a span, a <c>ref</c> or a receiver taken again on resume, pins. Woven, each method logs what
/// the original does.
/// </summary>
public sealed class RefStructLocalsTests
{
    /// <summary>The methods of RefStructs.cs the frames pass rewrites.</summary>
    public static readonly string[] Rewritten =
    [
        "RefStructRuns::InterpolatedBeforeYield", "RefStructRuns::InterpolatedDouble", "RefStructRuns::InterpolatedGeneric",
        "RefStructRuns::LabelledByAStruct", "Labeller::Label", "Ticker::Tick",
    ];

    [Fact]
    public void AHandlerDeadAtTheYieldIsNoPinAndOneLiveOrPointedIntoAcrossItIs()
    {
        var sites = WovenResumable.PinReasons();
        Assert.Empty(sites["ResumableCases.RefStructRuns::InterpolatedBeforeYield"]);
        Assert.Empty(sites["ResumableCases.RefStructRuns::InterpolatedGeneric"]);
        Assert.Empty(sites["ResumableCases.Labeller::Label"]);
        Assert.Equal([PinReason.RefStruct], sites["ResumableCases.RefStructRuns::HandlerLiveAcrossYield"]);
        Assert.Equal([PinReason.RefStruct], sites["ResumableCases.RefStructRuns::SpanIntoARefStructAcrossYield"]);
        Assert.Equal([PinReason.ByRef], sites["ResumableCases.RefStructRuns::RefIntoARefStructAcrossYield"]);
        Assert.Equal([PinReason.RefStruct], sites["ResumableCases.RefStructRuns::RefStructReceiverYields"]);
    }

    [Theory]
    [InlineData(nameof(RefStructRuns.InterpolatedBeforeYield), new[] { "round 0 of 3", "round 1 of 3", "round 2 of 3" })]
    [InlineData(nameof(RefStructRuns.InterpolatedDouble), new[] { "3.5 #0", "3.5 #1", "3.5 #2" })]
    [InlineData(nameof(RefStructRuns.LabelledByAStruct), new[] { "label 0", "label 1", "label 2", "labelled 3" })]
    public void AFrameWithADeadHandlerParksStacklessAtEveryYieldAndLogsWhatTheOriginalDoes(string method, string[] expected)
    {
        var original = new RefStructRuns(3);
        typeof(RefStructRuns).GetMethod(method)!.Invoke(original, []);
        Assert.Equal(expected, original.Log);
        HubTest.Run(() =>
        {
            var woven = Activator.CreateInstance(WovenResumable.TypeOf(typeof(RefStructRuns)), 3)!;
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, method));
            var turns = StacklessTurns.YieldUntilDead(greenlet);

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(3, turns);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(nameof(RefStructRuns.HandlerLiveAcrossYield), "value 41")]
    [InlineData(nameof(RefStructRuns.SpanIntoARefStructAcrossYield), "span 42")]
    [InlineData(nameof(RefStructRuns.RefIntoARefStructAcrossYield), "held 42")]
    [InlineData(nameof(RefStructRuns.RefStructReceiverYields), "ticked 43")]
    public void AMethodWhoseRefStructOutlivesTheYieldStaysOnItsThreadAndLogsWhatTheOriginalDoes(string method, string expected)
    {
        var original = new RefStructRuns(41);
        typeof(RefStructRuns).GetMethod(method)!.Invoke(original, []);
        Assert.Equal([expected], original.Log);
        HubTest.Run(() =>
        {
            var woven = Activator.CreateInstance(WovenResumable.TypeOf(typeof(RefStructRuns)), 41)!;
            Assert.False(WovenResumable.IsResumable(woven.GetType().GetMethod(method)!));
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, method));
            StacklessTurns.YieldUntilDead(greenlet);

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
        });
    }
}
