using System.Reflection;
using Gevent.CompilerServices;
using Mono.Cecil;
using Mono.Cecil.Cil;
using ResumableConsumer;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// Tier 2 across assemblies: testassets/ResumableConsumer calls testassets/ResumableLibrary, whose methods wait.
/// Woven together in one run (as the CLI weaves a folder) or one after the other (the library first, the consumer
/// against its woven copy), the consumer's call links, and its greenlets suspend stacklessly inside the library.
/// </summary>
public sealed class CrossAssemblyLinkingTests
{
    private static readonly Lazy<WovenSet> s_together = new(() => ResumableWeaving.WeaveTogether("ResumableLibrary", "ResumableConsumer"));
    private static readonly Lazy<WovenSet> s_inOrder = new(() => ResumableWeaving.WeaveInOrder("ResumableLibrary", "ResumableConsumer"));
    private static readonly Lazy<WovenSet> s_consumerFirst = new(() => ResumableWeaving.WeaveInOrder("ResumableConsumer", "ResumableLibrary"));

    public static TheoryData<string> Runs => ["together", "in order"];

    [Theory]
    [MemberData(nameof(Runs))]
    public void TheConsumersCallerOfTheLibraryIsRewrittenAndItsSpawnsStartStackless(string run)
    {
        var woven = Woven(run);
        Assert.True(ConsumerMethod(woven, nameof(Consumer.Doubled)).IsDefined(typeof(ResumableAttribute), inherit: false));

        string Called(string method) => ResumableWeaving.GreenletsMadeIn(woven.Images[1], typeof(Consumer), method);

        Assert.Equal("ResumableGreenlet.SpawnStackless", Called(nameof(Consumer.SpawnDoubled)));
        Assert.Equal("ResumableGreenlet.SpawnStackless", Called(nameof(Consumer.SpawnParker)));
        // A method group of the library itself: rewritten in the same run, or marked in its woven copy.
        Assert.Equal("ResumableGreenlet.SpawnStackless", Called(nameof(Consumer.SpawnTicker)));
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void AConsumersGreenletSuspendsStacklesslyInsideTheLibraryAndComputesTheOriginalsResult(string run)
    {
        var woven = Woven(run);
        var originalLog = new List<string>();
        var original = Consumer.Doubled(originalLog, 4);
        var log = new List<string>();
        HubTest.Run(() =>
        {
            var greenlet = (Greenlet<long>)Call(woven, nameof(Consumer.SpawnDoubled), log, 4);
            greenlet.Name = "doubled";
            Greenlet.Yield();
            // Suspended at the library's first Thread.Yield: the consumer's frame is saved below the library's.
            var line = LineOf("doubled");
            var logged = log.ToList();

            Assert.Equal(original, greenlet.Get());
            Assert.Contains(", stackless", line, StringComparison.Ordinal);
            Assert.DoesNotContain("pinned", line, StringComparison.Ordinal);
            Assert.Equal(["before 4"], logged);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });

        Assert.Equal(originalLog, log);
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void AGreenletParkedInsideTheLibraryHoldsNoThreadAndDiesWhenKilled(string run)
    {
        var woven = Woven(run);
        var log = new List<string>();
        HubTest.Run(() =>
        {
            var parker = (Greenlet)Call(woven, nameof(Consumer.SpawnParker), log);
            parker.Name = "parker";
            var ticker = (Greenlet)Call(woven, nameof(Consumer.SpawnTicker));
            ticker.Name = "ticker";
            Greenlet.Yield();
            var (parkerLine, tickerLine) = (LineOf("parker"), LineOf("ticker"));
            parker.Kill();
            ticker.Join();

            Assert.Contains("waiting on Sleep(Infinite), stackless", parkerLine, StringComparison.Ordinal);
            Assert.Contains(", stackless", tickerLine, StringComparison.Ordinal);
            Assert.True(parker.Dead && ticker.Successful, ticker.Exception?.ToString());
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });

        Assert.Equal(["parked"], log);
    }

    [Fact]
    public void ABodyWovenBeforeTheLibraryItCallsTakesItsCarriersLinkSoTheLibrarysWaitsPin()
    {
        // The consumer woven first, as Fody weaves a project before the references it patches: Doubled reaches no wait the
        // analysis sees, so its greenlet starts stackless over a body that follows no contract, and the library woven after
        // it is resumable. Its yields must pin: a link left set by the carrier would let them suspend into the consumer's
        // frames, which save nothing (Doubled would log "after" and return a wrong sum).
        var woven = s_consumerFirst.Value;
        Assert.Equal("ResumableGreenlet.SpawnStackless", ResumableWeaving.GreenletsMadeIn(woven.Images[0], typeof(Consumer), nameof(Consumer.SpawnDoubled)));
        var original = Consumer.Doubled(new List<string>(), 4);
        var log = new List<string>();
        HubTest.Run(() =>
        {
            var greenlet = (Greenlet<long>)Call(woven, nameof(Consumer.SpawnDoubled), log, 4);
            // The main greenlet stays ready, so that each of the library's yields parks.
            var stackless = StacklessTurns.YieldUntilDead(greenlet);

            Assert.Equal(original, greenlet.Get());
            Assert.Equal(0, stackless);
            Assert.Contains("pins: UnwovenFrame 4", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });

        Assert.Equal(["before 4", "after 4"], log);
    }

    private static WovenSet Woven(string run) => run == "together" ? s_together.Value : s_inOrder.Value;

    private static MethodInfo ConsumerMethod(WovenSet woven, string name) =>
        woven["ResumableConsumer"].GetType(typeof(Consumer).FullName!, throwOnError: true)!.GetMethod(name)!;

    private static object Call(WovenSet woven, string method, params object[] arguments) => ConsumerMethod(woven, method).Invoke(null, arguments)!;

    /// <summary>The run-info line of the greenlet named <paramref name="name"/>.</summary>
    private static string LineOf(string name) =>
        Hub.Current.FormatRunInfo().Split('\n').Single(l => l.TrimStart().StartsWith("+ " + name + ":", StringComparison.Ordinal));
}
