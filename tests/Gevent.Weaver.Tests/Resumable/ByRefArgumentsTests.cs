using ResumableCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// <c>out</c> and <c>ref</c> arguments (testassets/ResumableCases/ByRefs.cs): where the argument is the address of the
/// caller's own local, of a field of one, or the callee's own byref argument passed on, the caller takes it again on
/// resume and the callee keeps no byref in its frame, so the callee's waits run stackless and its writes reach the
/// caller as in the original. A field of an object or an array element, and a callee that points its parameter
/// elsewhere, pin.
/// </summary>
public sealed class ByRefArgumentsTests
{
    /// <summary>The methods of ByRefs.cs the frames pass rewrites.</summary>
    public static readonly string[] Rewritten =
    [
        "ByRefRuns::Run", "ByRefRuns::Take", "ByRefRuns::Forward", "ByRefRuns::Rename", "ByRefRuns::Swap",
        "OutTally::Fill", "OutTally::Count", "HeldByRefRuns::Bump",
    ];

    [Fact]
    public void ByRefsIntoTheCallersLocalsPinNothingAndOthersPin()
    {
        var sites = WovenResumable.PinReasons();
        Assert.Empty(sites["ResumableCases.ByRefRuns::Run"]);
        Assert.Empty(sites["ResumableCases.ByRefRuns::Take"]);
        Assert.Empty(sites["ResumableCases.ByRefRuns::Forward"]);
        Assert.Empty(sites["ResumableCases.OutTally::Fill"]);
        Assert.Equal([PinReason.ByRef], sites["ResumableCases.HeldByRefRuns::Run"]);
        Assert.Equal([PinReason.ByRef], sites["ResumableCases.RepointRuns::Repoint"]);
        Assert.False(WovenResumable.IsResumable(WovenResumable.TypeOf(typeof(HeldByRefRuns)).GetMethod(nameof(HeldByRefRuns.Run))!));
    }

    [Fact]
    public void WritesThroughOutAndRefArgumentsAcrossStacklessWaitsReachTheCallerAsInTheOriginal()
    {
        var original = new ByRefRuns();
        original.Run();
        Assert.Equal(["taken 1", "taken 3", "taken 6", "took True 6", "renaming first", "name first second", "pair 2 1", "tally 9"], original.Log);
        HubTest.Run(() =>
        {
            var (woven, greenlet, turns) = StacklessTurns.RunWoven(typeof(ByRefRuns), nameof(ByRefRuns.Run));

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(original.Result, WovenResumable.Result(woven));
            // Take 3, Forward and Rename 2, Swap 1, Count 3: every yield parked stacklessly.
            Assert.Equal(9, turns);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(typeof(HeldByRefRuns))]
    [InlineData(typeof(RepointRuns))]
    public void ByRefsNoFrameCanTakeAgainPinAndGiveTheOriginalsLog(Type type)
    {
        var original = Activator.CreateInstance(type)!;
        WovenResumable.Body(original, "Run")();
        HubTest.Run(() =>
        {
            var (woven, greenlet, turns) = StacklessTurns.RunWoven(type, "Run");

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(WovenResumable.Log(original), WovenResumable.Log(woven));
            // Run is not rewritten, so its greenlet never parks stacklessly: its yields park where they run.
            Assert.Equal(0, turns);
        });
    }
}
