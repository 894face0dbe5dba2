using System.Reflection;
using Gevent.CompilerServices;
using ResumableAsyncCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// An async method run synchronously (testassets/ResumableAsyncCases, compiled optimized: its state machine is a
/// struct), over a wait the frames could link. Its <c>MoveNext</c> is no longer pinned for its value-type <c>this</c>,
/// but the builder's <c>Start</c>, un-woven BCL code, calls it, so the method that starts it pins
/// (<c>UnwovenFrame</c>) and a stackless greenlet running it pins at the wait, giving the original's results and
/// exceptions (docs/execution-tiers.md, "Struct async state machines").
/// </summary>
public sealed class SyncOverAsyncTests
{
    private static readonly Lazy<(Assembly Assembly, byte[] Image)> s_woven = new(() => ResumableWeaving.Weave("ResumableAsyncCases"));

    public static TheoryData<string> ThrowPoints() => new(SyncOverAsync.ThrowPoints);

    [Fact]
    public void TheStateMachineIsAStructWhoseMoveNextIsRewrittenButTheMethodStartingItPins()
    {
        var machine = typeof(SyncOverAsync).GetNestedTypes(BindingFlags.NonPublic).Single(t => t.Name.Contains("AddLater", StringComparison.Ordinal));
        Assert.True(machine.IsValueType, "the asset must compile its state machines as a Release build does");

        var woven = s_woven.Value.Assembly.GetType(typeof(SyncOverAsync).FullName!)!;
        var wovenMachine = woven.GetNestedTypes(BindingFlags.NonPublic).Single(t => t.Name == machine.Name);
        Assert.True(Marked(wovenMachine.GetMethod("MoveNext", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)!));
        Assert.False(Marked(woven.GetMethod("AddLater", BindingFlags.NonPublic | BindingFlags.Instance)!));
        Assert.True(Marked(woven.GetMethod(nameof(SyncOverAsync.Run))!));
    }

    [Theory]
    [MemberData(nameof(ThrowPoints))]
    public void RunStacklessItPinsInTheStateMachineAndGivesTheOriginalsResults(string throwAt)
    {
        var original = new SyncOverAsync(throwAt);
        original.Run();
        HubTest.Run(() =>
        {
            var woven = Activator.CreateInstance(s_woven.Value.Assembly.GetType(typeof(SyncOverAsync).FullName!)!, throwAt)!;
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(SyncOverAsync.Run)));
            Greenlet.Yield();
            // Parked stacklessly at Run's own yield, before the async method started.
            Assert.Contains(", stackless", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            Assert.Equal(["start"], WovenResumable.Log(woven));
            while (!greenlet.Dead)
            {
                Greenlet.Yield();
            }

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(original.Result, (int)woven.GetType().GetProperty(nameof(SyncOverAsync.Result))!.GetValue(woven)!);
            // The yield inside MoveNext, entered from the builder's Start, pinned (none when it threw before it).
            if (throwAt != "before")
            {
                Assert.Contains("pins: UnwovenFrame 1", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            }
        });
    }

    private static bool Marked(MethodInfo method) => method.CustomAttributes.Any(a => a.AttributeType == typeof(ResumableAttribute));
}
