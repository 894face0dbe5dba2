using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Gevent.CompilerServices;
using ResumableCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// The resumable-frames pass (tier 2, stage 2) over testassets/ResumableCases: which methods it rewrites, that
/// they compile, that they compute what the originals do, and that greenlets running them are stackless.
/// </summary>
// Alone: the ten-thousand-greenlets test counts the process's threads, which tests running beside it would add to.
[Collection(SequentialCollection.Name)]
public sealed class ResumableFramesTests
{
    private const string ResumableAttribute = "Gevent.CompilerServices.ResumableAttribute";

    [Fact]
    public void CapturableMethodsAreRewrittenAndMarkedOthersAreLeftAsCompiled()
    {
        string[] rewritten =
        [
            "Worker::Run", "Worker::Turns", "Worker::Park", "Worker::ThenUncovered", "Steps::Square", "Steps::SumOfSquares",
            .. Handlers.Bodies.Concat(Handlers.HandlerBodies).Append(nameof(Handlers.ThenSuspendInHandlers)).Append(nameof(Handlers.ParkInNestedTry)).Select(m => "Handlers::" + m),
            "ScriptedSteps::Suspend",
            "Spills::Run", "Spills::Next",
            .. GenericsTests.Rewritten, .. StructsTests.Rewritten, .. DisposalsTests.Rewritten,
            .. ConstrainedCallsTests.Rewritten, .. VirtualCallsTests.Rewritten, .. RefStructLocalsTests.Rewritten, .. ByRefArgumentsTests.Rewritten,
            .. InterlockedCallsTests.Rewritten, .. FormattingCallsTests.Rewritten, .. ConstructorCallsTests.Rewritten,
        ];
        var marked = WovenResumable.Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.CustomAttributes.Any(a => a.AttributeType.FullName == ResumableAttribute))
            .Select(m => m.DeclaringType!.Name + "::" + m.Name)
            .Order()
            .ToList();
        Assert.Equal(rewritten.Order(), marked);
        Assert.Equal(rewritten.Length, WovenResumable.Assembly.GetTypes().Count(t => t.IsNested && t.BaseType == typeof(ResumableFrame)));
    }

    [Fact]
    public void AFrameKeepsOnlyWhatIsLiveAfterItsCall()
    {
        // Square(i, milliseconds): long n = i; Sleep(milliseconds); return n * n. Across the sleep only n is read
        // again, and the sleep's spilled argument is pushed again on resume; i and milliseconds are dead.
        var frame = WovenResumable.TypeOf(typeof(Steps)).GetNestedTypes(BindingFlags.NonPublic).Single(t => t.Name.StartsWith("<Square>", StringComparison.Ordinal));
        var fields = frame.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
        Assert.Equal([typeof(int), typeof(long)], fields.Select(f => f.FieldType).OrderBy(t => t.Name));

        // Both are locals (n and the spill, fields "l…"): an argument kept instead of the spill ("a…") has the same type.
        Assert.All(fields, f => Assert.StartsWith("l", f.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryWovenMethodCompiles()
    {
        var methods = WovenResumable.Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Cast<MethodBase>()
                .Concat(t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)))
            // The compiler's own generic helpers (<PrivateImplementationDetails>) are not this pass's and need instantiations.
            .Where(m => !m.IsAbstract && !m.ContainsGenericParameters)
            .ToList();
        Assert.True(methods.Count > 12, $"only {methods.Count} methods found");
        foreach (var method in methods)
        {
            // The JIT checks the IL: an unbalanced stack or a bad branch throws InvalidProgramException here.
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }
    }

    [Fact]
    public void OutsideAGreenletWovenCodeComputesWhatTheOriginalDoes()
    {
        var sum = (long)WovenResumable.TypeOf(typeof(Steps)).GetMethod(nameof(Steps.SumOfSquares))!.Invoke(null, [7])!;
        Assert.Equal(Steps.SumOfSquares(7), sum);
        Assert.Equal(91, sum);

        var original = new Worker(3, 1);
        original.Run();
        var woven = WovenResumable.Worker(3, 1);
        WovenResumable.Body(woven, nameof(Worker.Run))();
        Assert.Equal(original.Log, WovenResumable.Log(woven));
        Assert.Equal(original.Result, WovenResumable.Result(woven));
    }

    [Fact]
    public void AWovenGreenletRunsStacklessAndResumesWithItsLocalsIntact()
    {
        var original = new Worker(4, 5);
        original.Run();
        HubTest.Run(() =>
        {
            var woven = WovenResumable.Worker(4, 5);
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(Worker.Run)));
            Greenlet.Yield();
            var whileAsleep = Hub.Current.FormatRunInfo();
            greenlet.Join();

            Assert.Contains(", stackless", whileAsleep, StringComparison.Ordinal);
            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(original.Result, WovenResumable.Result(woven));
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void WovenGreenletsTakeTurnsAtEachYield()
    {
        HubTest.Run(() =>
        {
            var workers = Enumerable.Range(0, 3).Select(_ => WovenResumable.Worker(5, 0)).ToList();
            var order = new List<int>();
            var greenlets = workers.Select(w => ResumableGreenlet.Spawn(WovenResumable.Body(w, nameof(Worker.Turns)))).ToList();
            for (var turn = 0; turn < 5; turn++)
            {
                Greenlet.Yield();
                order.Add(workers.Sum(w => WovenResumable.Log(w).Count));
            }

            Greenlet.JoinAll(greenlets);
            Assert.All(greenlets, g => Assert.True(g.Successful, g.Exception?.ToString()));
            // One turn each per yield of the main greenlet: the three run in lockstep, each resuming its own loop.
            Assert.Equal([3, 6, 9, 12, 15], order);
            Assert.All(workers, w => Assert.Equal(Enumerable.Range(0, 5).Select(i => "turn " + i), WovenResumable.Log(w)));
        });
    }

    [Fact]
    public void TenThousandParkedWovenGreenletsHoldNoThreadAndDieWhenKilled()
    {
        HubTest.Run(() =>
        {
            const int count = 10_000;
            var before = Process.GetCurrentProcess().Threads.Count;
            var workers = new List<object>(count);
            var greenlets = new List<Greenlet>(count);
            for (var i = 0; i < count; i++)
            {
                workers.Add(WovenResumable.Worker(0, 0));
                greenlets.Add(ResumableGreenlet.Spawn(WovenResumable.Body(workers[i], nameof(Worker.Park))));
                if (i == 99)
                {
                    // Should the weaving regress to thread-backed greenlets, stop at 100 rather than start 10,000 threads.
                    Greenlet.Yield();
                    var early = Process.GetCurrentProcess().Threads.Count - before;
                    if (early >= 50)
                    {
                        Greenlet.KillAll(greenlets);
                        Assert.Fail($"{early} threads more with 100 woven greenlets parked: they are not stackless");
                    }
                }
            }

            Greenlet.Yield();
            var during = Process.GetCurrentProcess().Threads.Count - before;
            var parked = greenlets.Count(g => !g.Dead);
            Greenlet.KillAll(greenlets);

            Assert.Equal(count, parked);
            // Other test classes run in parallel and start threads of their own: a wide margin, far below one per greenlet.
            Assert.True(during < 100, $"{during} threads more with {count} woven greenlets parked");
            Assert.All(greenlets, g => Assert.True(g.Dead));
            Assert.All(workers, w => Assert.Equal(["parked"], WovenResumable.Log(w)));
        }, timeoutSeconds: 120);
    }

    [Fact]
    public void KillInterruptsAStacklessWovenWait()
    {
        HubTest.Run(() =>
        {
            var woven = WovenResumable.Worker(0, 0);
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(Worker.Park)));
            Greenlet.Yield();
            Assert.Contains(", stackless", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            var stopwatch = Stopwatch.StartNew();
            greenlet.Kill(new TimeoutException("stop"));

            Assert.True(greenlet.Dead);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
            Assert.Equal("stop", Assert.IsType<TimeoutException>(greenlet.Exception).Message);
            Assert.Contains("Worker.Park", greenlet.Exception!.StackTrace, StringComparison.Ordinal);
            Assert.Equal(["parked"], WovenResumable.Log(woven));
        });
    }

    [Fact]
    public void AMethodTheSliceDoesNotCoverPinsAndIsCountedByReason()
    {
        HubTest.Run(() =>
        {
            var woven = WovenResumable.Worker(1, 5);
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(Worker.ThenUncovered)));
            // The main greenlet stays ready, so the pinned sleep switches away (and is counted) rather than poll the loop itself.
            var stopwatch = Stopwatch.StartNew();
            while (!greenlet.Dead && stopwatch.Elapsed < TimeSpan.FromSeconds(30))
            {
                Greenlet.Yield();
            }

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(["before", "try", "finally", "after"], WovenResumable.Log(woven));
            Assert.Contains("pins: UnwovenFrame 1", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }
}
