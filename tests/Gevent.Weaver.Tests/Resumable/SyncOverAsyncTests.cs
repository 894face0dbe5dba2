using System.Reflection;
using Gevent.CompilerServices;
using ResumableAsyncCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// Async methods run synchronously (testassets/ResumableAsyncCases, compiled optimized: their state machines are
/// structs). The stub starting a state machine calls the runtime's resumable start instead of the builder's
/// (<see cref="AsyncStateMachineStart"/>), taking the builder's and the state machine's addresses again from its own
/// local on resume, so a wait inside the async method suspends the greenlet stacklessly, with no pin; results,
/// exceptions, and the <c>AsyncLocal</c> and synchronization context the async method sets are as in the original (docs/execution-tiers.md,
/// "Struct async state machines").
/// </summary>
public sealed class SyncOverAsyncTests
{
    private static readonly Lazy<(Assembly Assembly, byte[] Image)> s_woven = new(() => ResumableWeaving.Weave("ResumableAsyncCases"));

    public static TheoryData<string> ThrowPoints() => new(SyncOverAsync.ThrowPoints);

    public static TheoryData<string> HoistedThrowPoints() => new(Hoisted.ThrowPoints);

    [Fact]
    public void TheStubAndTheStateMachineAreRewrittenAndTheStubCallsTheResumableStart()
    {
        var machine = typeof(SyncOverAsync).GetNestedTypes(BindingFlags.NonPublic).Single(t => t.Name.Contains("AddLater", StringComparison.Ordinal));
        Assert.True(machine.IsValueType, "the asset must compile its state machines as a Release build does");

        var woven = Woven(typeof(SyncOverAsync));
        var wovenMachine = woven.GetNestedTypes(BindingFlags.NonPublic).Single(t => t.Name == machine.Name);
        Assert.True(WovenResumable.IsResumable(wovenMachine.GetMethod("MoveNext", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)!));
        var stub = woven.GetMethod("AddLater", BindingFlags.NonPublic | BindingFlags.Instance)!;
        Assert.True(WovenResumable.IsResumable(stub));
        Assert.True(WovenResumable.IsResumable(woven.GetMethod(nameof(SyncOverAsync.Run))!));

        // Every stub of the asset (each builder: Task, Task<T>, ValueTask, ValueTask<T>, pooling, void) calls the resumable start.
        using var module = Mono.Cecil.ModuleDefinition.ReadModule(new MemoryStream(s_woven.Value.Image));
        var stubs = module.Types.SelectMany(t => t.Methods)
            .Where(m => m.CustomAttributes.Any(a => a.AttributeType.Name == nameof(System.Runtime.CompilerServices.AsyncStateMachineAttribute)))
            .ToDictionary(m => m.DeclaringType.Name + "." + m.Name, m => m.Body.Instructions.Select(i => i.Operand).OfType<Mono.Cecil.MethodReference>().Select(c => c.DeclaringType.Name + "::" + c.Name).ToList());
        Assert.Equal(9, stubs.Count);
        Assert.All(stubs, stub =>
        {
            Assert.Contains(nameof(AsyncStateMachineStart) + "::Start", stub.Value);
            Assert.DoesNotContain(stub.Value, c => c.Contains("MethodBuilder", StringComparison.Ordinal) && c.EndsWith("::Start", StringComparison.Ordinal));
        });
    }

    [Theory]
    [MemberData(nameof(ThrowPoints))]
    public void RunStacklessItSuspendsInsideTheAsyncMethodWithoutPinningAndGivesTheOriginalsResults(string throwAt)
    {
        var original = new SyncOverAsync(throwAt);
        original.Run();
        Assert.Contains("caller sees no scope, no context", original.Log);
        HubTest.Run(() =>
        {
            var woven = Activator.CreateInstance(Woven(typeof(SyncOverAsync)), throwAt)!;
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(SyncOverAsync.Run)));
            Greenlet.Yield();
            // Parked stacklessly at Run's own yield, before the async method started.
            Assert.Contains(", stackless", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            Assert.Equal(["start"], WovenResumable.Log(woven));
            if (throwAt != "before")
            {
                Greenlet.Yield();
                // Parked stacklessly again, inside the async method, three frames down through the resumable start.
                Assert.Equal(["start", "in 20"], WovenResumable.Log(woven));
                Assert.Contains(", stackless", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            }

            Join(greenlet);
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(original.Result, Result(woven));
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void EveryBuilderRunsStacklessWithoutPinningAndGivesTheOriginalsResults()
    {
        var original = new Builders();
        original.Run();
        HubTest.Run(() =>
        {
            var woven = Activator.CreateInstance(Woven(typeof(Builders)))!;
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(Builders.Run)));
            var suspensions = StacklessTurns.YieldUntilDead(greenlet);

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(original.Result, Result(woven));
            // One wait in each of the seven async methods run (Nested runs Later's and its own): eight, each stackless.
            Assert.True(suspensions >= 8, $"{suspensions} stackless suspensions seen");
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(HoistedThrowPoints))]
    public void AResultStoredInAHoistedFieldAcrossAStacklessWaitAndAWaitInAFinallyGiveTheOriginalsResults(string throwAt)
    {
        var woven = Woven(typeof(Hoisted));
        var machine = woven.GetNestedTypes(BindingFlags.NonPublic).Single(t => t.IsValueType && t.Name.Contains("Measure", StringComparison.Ordinal));
        Assert.True(machine.IsValueType);
        // ldarg.0 below StartUserAction's arguments, and the scope's Dispose inside the finally, no longer keep it as compiled.
        Assert.True(WovenResumable.IsResumable(machine.GetMethod("MoveNext", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)!));

        var original = new Hoisted(throwAt);
        original.Run();
        HubTest.Run(() =>
        {
            var instance = Activator.CreateInstance(woven, throwAt)!;
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(instance, nameof(Hoisted.Run)));
            var stackless = StacklessTurns.YieldUntilDead(greenlet);

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(instance));
            Assert.Equal(original.Result, Result(instance));
            // StartUserAction's yields suspend stacklessly inside MoveNext; the scope's Dispose, in the state machine's
            // finally, is left unlinked: its yield alone pins.
            Assert.Equal(original.Log.Count(l => l.StartsWith("action", StringComparison.Ordinal)), stackless);
            Assert.Contains("pins: UnwovenFrame 1", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void AnIncompleteAwaitStillWaitsInGetResultAndGivesTheOriginalsResults()
    {
        var original = new RealAwait(Task.Delay(5));
        original.Run();
        HubTest.Run(() =>
        {
            var gate = new TaskCompletionSource();
            var woven = Activator.CreateInstance(Woven(typeof(RealAwait)), gate.Task)!;
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(RealAwait.Run)));
            Greenlet.Yield();
            Assert.Contains(", stackless", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            // The yield suspended stacklessly; the wait for the gate is GetResult's, which has no resumable form: it pins.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!Hub.Current.FormatRunInfo().Contains("pins: RuntimeWait 1", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            {
                Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            }

            Assert.Contains("pins: RuntimeWait 1", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            gate.SetResult();
            Join(greenlet);
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(original.Result, Result(woven));
            Assert.DoesNotContain("UnwovenFrame", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void OutsideAStacklessGreenletTheWovenCodeRunsAsTheOriginal()
    {
        foreach (var throwAt in SyncOverAsync.ThrowPoints)
        {
            var original = new SyncOverAsync(throwAt);
            original.Run();
            var onThread = Activator.CreateInstance(Woven(typeof(SyncOverAsync)), throwAt)!;
            WovenResumable.Body(onThread, nameof(SyncOverAsync.Run))();
            Assert.Equal(original.Log, WovenResumable.Log(onThread));

            // A thread-backed greenlet: the resumable start finds no frame stack and calls the builders' own.
            var threadBacked = Activator.CreateInstance(Woven(typeof(SyncOverAsync)), throwAt)!;
            HubTest.Run(() =>
            {
                Join(Greenlet.Spawn(WovenResumable.Body(threadBacked, nameof(SyncOverAsync.Run))));
                Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            });
            Assert.Equal(original.Log, WovenResumable.Log(threadBacked));
        }
    }

    private static Type Woven(Type original) => s_woven.Value.Assembly.GetType(original.FullName!)!;

    private static int Result(object woven) => (int)woven.GetType().GetProperty("Result")!.GetValue(woven)!;

    private static void Join(Greenlet greenlet)
    {
        while (!greenlet.Dead)
        {
            Greenlet.Yield();
        }

        Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
    }
}
