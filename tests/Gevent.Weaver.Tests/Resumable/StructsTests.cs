using System.Reflection;
using Gevent.CompilerServices;
using ResumableCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// Value types (testassets/ResumableCases/Structs.cs): an instance method's <c>this</c> is a byref no frame can keep,
/// so its waits pin (<c>ByRef</c>), readonly or not, and what it writes through <c>this</c> reaches its caller as in
/// the original; a static method of a value type is rewritten.
/// </summary>
public sealed class StructsTests
{
    /// <summary>The methods of Structs.cs the frames pass rewrites.</summary>
    public static readonly string[] Rewritten = ["Counter::Doubled", "StructRuns::Run"];

    [Fact]
    public void AValueTypesInstanceMethodsArePinnedForTheirByRefThisAndItsStaticMethodIsRewritten()
    {
        var counter = WovenResumable.TypeOf(typeof(Counter));
        Assert.True(Marked(counter.GetMethod(nameof(Counter.Doubled))!));
        Assert.False(Marked(counter.GetMethod(nameof(Counter.Tick))!));
        Assert.False(Marked(WovenResumable.TypeOf(typeof(Reading)).GetMethod(nameof(Reading.Describe))!));

        // The reason the analysis gives: this is a byref (the readonly struct's too: an "in" this is one all the same).
        var sites = WovenResumable.PinReasons();
        Assert.Contains(PinReason.ByRef, sites["ResumableCases.Counter::Tick"]);
        Assert.Contains(PinReason.ByRef, sites["ResumableCases.Reading::Describe"]);
        Assert.Empty(sites["ResumableCases.Counter::Doubled"]);
    }

    [Fact]
    public void WritesThroughAStructsThisAcrossPinnedWaitsReachItsCallerAsInTheOriginal()
    {
        var original = new StructRuns();
        original.Run();
        Assert.Equal(["doubled 4", "tick 1", "tick 2", "tick 3", "counted 3", "reading 7"], original.Log);
        HubTest.Run(() =>
        {
            var woven = Activator.CreateInstance(WovenResumable.TypeOf(typeof(StructRuns)))!;
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(StructRuns.Run)));
            Greenlet.Yield();
            // Parked stacklessly in the rewritten static method, before any tick.
            Assert.Contains(", stackless", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            while (!greenlet.Dead)
            {
                Greenlet.Yield();
            }

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(original.Result, (int)woven.GetType().GetProperty(nameof(StructRuns.Result))!.GetValue(woven)!);
            // The struct's waits ran pinned: the greenlet's thread kept its byref this.
            Assert.Contains("pins: UnwovenFrame", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    private static bool Marked(MethodInfo method) => method.CustomAttributes.Any(a => a.AttributeType == typeof(ResumableAttribute));
}
