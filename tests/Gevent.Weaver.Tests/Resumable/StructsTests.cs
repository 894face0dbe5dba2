using System.Reflection;
using Gevent.CompilerServices;
using ResumableCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// Value types (testassets/ResumableCases/Structs.cs): an instance method's <c>this</c> is a byref into its caller's
/// storage, which its frame does not keep; a caller whose receiver is its own local saves the local and takes its
/// address again on resume, so the struct's waits run stackless and what it writes through <c>this</c> reaches the
/// caller as in the original, thrown exceptions included. Inside the struct's methods, <c>this</c> and the addresses of
/// its fields on the stack at a call are taken again on resume too. A struct held elsewhere (a field of a class) pins.
/// </summary>
public sealed class StructsTests
{
    /// <summary>The methods of Structs.cs the frames pass rewrites.</summary>
    public static readonly string[] Rewritten =
    [
        "Counter::Doubled", "Counter::Tick", "Counter::TickThenThrow", "Reading::Describe",
        "StructRuns::Run", "StructRuns::TickedCount", "StructRuns::Described", "StructThrows::Run",
        "Tally::Run", "Tally::Label", "Tally::Bumped", "TallyRuns::Run",
        "YieldingStep::Step", "Stepper`1::Run", "Stepper`1::Round", "StepperRuns::Run",
    ];

    public static TheoryData<string> TallyThrowPoints() => new(TallyRuns.ThrowPoints);

    public static TheoryData<string> ThrowPoints() => new(StructThrows.ThrowPoints);

    [Fact]
    public void AStructsMethodsAreRewrittenAndACallOnALocalLinksButOneOnAFieldPins()
    {
        var counter = WovenResumable.TypeOf(typeof(Counter));
        Assert.True(WovenResumable.IsResumable(counter.GetMethod(nameof(Counter.Doubled))!));
        Assert.True(WovenResumable.IsResumable(counter.GetMethod(nameof(Counter.Tick))!));
        Assert.True(WovenResumable.IsResumable(WovenResumable.TypeOf(typeof(Reading)).GetMethod(nameof(Reading.Describe))!));
        Assert.False(WovenResumable.IsResumable(WovenResumable.TypeOf(typeof(HeldCounter)).GetMethod(nameof(HeldCounter.Run))!));

        // this is no pin reason by itself; the address of a field on the stack at the call is.
        var sites = WovenResumable.PinReasons();
        Assert.Empty(sites["ResumableCases.Counter::Tick"]);
        Assert.Empty(sites["ResumableCases.Reading::Describe"]);
        Assert.Empty(sites["ResumableCases.StructRuns::TickedCount"]);
        Assert.Equal([PinReason.ByRef], sites["ResumableCases.HeldCounter::Run"]);
    }

    [Fact]
    public void WritesThroughAStructsThisAcrossStacklessWaitsReachItsCallerAsInTheOriginal()
    {
        var original = new StructRuns();
        original.Run();
        Assert.Equal(["doubled 4", "tick 1", "tick 2", "tick 3", "counted 3", "reading 7"], original.Log);
        HubTest.Run(() =>
        {
            var woven = Activator.CreateInstance(WovenResumable.TypeOf(typeof(StructRuns)))!;
            var log = WovenResumable.Log(woven);
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(StructRuns.Run)));
            // Parked stacklessly at every yield, the ticks' included: the counter lives in the saved frame.
            var turns = StacklessTurns.YieldUntilDead(greenlet);

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, log);
            Assert.Equal(original.Result, (int)woven.GetType().GetProperty(nameof(StructRuns.Result))!.GetValue(woven)!);
            Assert.Equal(5, turns);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(ThrowPoints))]
    public void AStructsMethodThrowingBeforeOrAfterItsResumeLeavesItsCallerWhatTheOriginalDoes(string throwAt)
    {
        var original = new StructThrows(throwAt);
        var expectedError = Record.Exception(original.Run);
        HubTest.Run(() =>
        {
            var woven = Activator.CreateInstance(WovenResumable.TypeOf(typeof(StructThrows)), throwAt)!;
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(StructThrows.Run)));
            Greenlet.Yield();
            // Suspended in the struct's method (the second call's, where the first threw before its yield).
            Assert.Contains(", stackless", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);

            StacklessTurns.YieldUntilDead(greenlet);

            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(expectedError?.GetType(), greenlet.Exception?.GetType());
            Assert.Equal(expectedError?.Message, greenlet.Exception?.Message);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void AStructsThisOnTheStackAtACallPinsNothing()
    {
        var sites = WovenResumable.PinReasons();
        // this below the arguments (Run, Label's caller), as the receiver (this.Label()), a field of it as the receiver
        // (_inner.Tick()), in a generic struct too, where the field's constrained. call is left unlinked but pins nothing.
        Assert.Empty(sites["ResumableCases.Tally::Run"]);
        Assert.Empty(sites["ResumableCases.Tally::Label"]);
        Assert.Empty(sites["ResumableCases.Stepper`1::Run"]);
        Assert.Empty(sites["ResumableCases.TallyRuns::Run"]);
    }

    [Theory]
    [MemberData(nameof(TallyThrowPoints))]
    public void AStructsThisTakenAgainOnResumeKeepsEveryWriteAndGivesTheOriginalsResults(string throwAt)
    {
        var original = new TallyRuns(throwAt);
        original.Run();
        // Label's yield, two ticks and Bumped's yield; none when Label throws before its yield, one when after.
        var expectedTurns = throwAt switch { "before" => 0, "after" => 1, _ => 4 };
        HubTest.Run(() =>
        {
            var woven = Activator.CreateInstance(WovenResumable.TypeOf(typeof(TallyRuns)), throwAt)!;
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(TallyRuns.Run)));
            var turns = StacklessTurns.YieldUntilDead(greenlet);

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(original.Result, (int)woven.GetType().GetProperty(nameof(TallyRuns.Result))!.GetValue(woven)!);
            Assert.Equal(expectedTurns, turns);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void AGenericStructsConstrainedCallOnItsFieldPinsAloneAndItsOtherWaitIsStackless()
    {
        var original = new StepperRuns();
        original.Run();
        Assert.Equal(["step", "rounds 1", "end 1"], original.Log);
        HubTest.Run(() =>
        {
            var woven = Activator.CreateInstance(WovenResumable.TypeOf(typeof(StepperRuns)))!;
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(StepperRuns.Run)));
            var stackless = 0;
            while (!greenlet.Dead)
            {
                Greenlet.Yield();
                stackless += !greenlet.Dead && Hub.Current.FormatRunInfo() is var info && info.Contains(", stackless", StringComparison.Ordinal) && !info.Contains(", pinned", StringComparison.Ordinal) ? 1 : 0;
            }

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            // The step's yield, under the unlinked constrained. call, pins; Round's, under this taken again, does not.
            Assert.Contains("pins: UnwovenFrame 1", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            Assert.Equal(1, stackless);
        });
    }

    [Fact]
    public void AStructInAFieldRunsItsWaitsPinnedAndGivesTheOriginalsResults()
    {
        var original = new HeldCounter();
        original.Run();
        Assert.Equal(["tick 1", "tick 2", "held 2"], original.Log);
        HubTest.Run(() =>
        {
            var woven = Activator.CreateInstance(WovenResumable.TypeOf(typeof(HeldCounter)))!;
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(HeldCounter.Run)));
            StacklessTurns.YieldUntilDead(greenlet);

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
        });
    }
}
