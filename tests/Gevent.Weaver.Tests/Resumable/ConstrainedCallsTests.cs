using System.Reflection;
using Gevent.CompilerServices;
using ResumableCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// <c>constrained.</c> calls on concrete value types (testassets/ResumableCases/Constrained.cs): where the type implements
/// the member itself the call runs that one method, so it is a plain call of it — linked when the method is rewritten,
/// no site at all when it is outside the set (a list enumerator's <c>Dispose</c>); where the type does not (it boxes and
/// runs <c>ValueType</c>'s), the call is taken as before for one that may run any override of the set.
/// </summary>
public sealed class ConstrainedCallsTests
{
    /// <summary>The methods of Constrained.cs the frames pass rewrites.</summary>
    public static readonly string[] Rewritten = ["Fingerprint::GetHashCode", "Wrapped`1::GetHashCode", "ConstrainedRuns::Run", "ConstrainedRuns::Hashed"];

    [Fact]
    public void ACallOfAStructsOwnMethodPinsNothingAndOneThatBoxesStillPins()
    {
        var sites = WovenResumable.PinReasons();
        // The struct's own GetHashCode (plain and generic) is a call of it; the enumerator's Dispose in the foreach's
        // finally is no site (it never waits), so it is no ByRef nor InsideHandler pin.
        Assert.Empty(sites["ResumableCases.ConstrainedRuns::Run"]);
        Assert.Empty(sites["ResumableCases.ConstrainedRuns::Hashed"]);
        // Bare has no GetHashCode: the call may run any of the set's, and its receiver's address pins as before.
        Assert.Equal([PinReason.ByRef], sites["ResumableCases.BareRuns::Run"]);
        Assert.False(WovenResumable.IsResumable(WovenResumable.TypeOf(typeof(BareRuns)).GetMethod(nameof(BareRuns.Run))!));
    }

    [Fact]
    public void AStructsOwnMethodCalledThroughConstrainedRunsStacklessAndGivesTheOriginalsResults()
    {
        var original = new ConstrainedRuns();
        original.Run();
        Assert.Equal(["taken 1", "first 31", "taken 2", "second 32", "hash of 5", "item a", "item b", "end 10"], original.Log);
        HubTest.Run(() =>
        {
            var (woven, greenlet, turns) = StacklessTurns.RunWoven(typeof(ConstrainedRuns), nameof(ConstrainedRuns.Run));

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(original.Result, (int)woven.GetType().GetProperty(nameof(ConstrainedRuns.Result))!.GetValue(woven)!);
            // Two takes of the fingerprint, the generic hash, and one yield per item of the foreach.
            Assert.Equal(5, turns);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void ACallThatBoxesGivesTheOriginalsResult()
    {
        var original = new BareRuns();
        original.Run();
        HubTest.Run(() =>
        {
            var (woven, greenlet, _) = StacklessTurns.RunWoven(typeof(BareRuns), nameof(BareRuns.Run));

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
        });
    }
}
