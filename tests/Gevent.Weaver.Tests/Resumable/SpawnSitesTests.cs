using System.Diagnostics;
using Gevent.CompilerServices;
using Mono.Cecil;
using Mono.Cecil.Cil;
using ResumableSpawnCases;
using static Gevent.Weaver.Tests.Resumable.RunInfoLines;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// The spawn sites of woven code (tier 2): over testassets/ResumableSpawnCases woven with resumable frames, greenlets
/// spawned over resumable bodies run stackless, the others thread-backed, and results, exceptions and kills
/// reach the spawner as they do from the original.
/// </summary>
public sealed class SpawnSitesTests
{
    [Fact]
    public void SpawnCallsPointAtTheStarterTheBodyNeeds()
    {
        string Called(string method) => ResumableWeaving.GreenletsMadeIn(WovenSpawnCases.Image, typeof(Spawner), method);

        Assert.Equal("ResumableGreenlet.SpawnStackless", Called(nameof(Spawner.SpawnSleeper)));
        Assert.Equal("ResumableGreenlet.SpawnStackless", Called(nameof(Spawner.SpawnSquare)));
        Assert.Equal("ResumableGreenlet.SpawnStackless", Called(nameof(Spawner.SpawnParker)));
        Assert.Equal("ResumableGreenlet.SpawnStackless", Called(nameof(Spawner.SpawnIn)));
        Assert.Equal("ResumableGreenlet.SpawnStackless", Called(nameof(Spawner.SpawnCounter)));
        Assert.Equal("ResumableGreenlet.SpawnStackless", Called(nameof(Spawner.SpawnGeventSleeper)));
        Assert.Equal("ResumableGreenlet.SpawnStackless", Called(nameof(Spawner.SpawnQueueEcho)));
        // A lambda capturing nothing: the compiler caches its delegate in a static field (newobj; dup; stsfld).
        Assert.Equal("ResumableGreenlet.SpawnStackless", Called(nameof(Spawner.SpawnFailing)));
        // Not resumable: Greenlet.Spawn as compiled, which pays nothing for tier 2.
        Assert.Equal("Greenlet.Spawn", Called(nameof(Spawner.SpawnUncovered)));
        // Made elsewhere: decided at run time.
        Assert.Equal("ResumableGreenlet.Spawn", Called(nameof(Spawner.SpawnGiven)));
        Assert.Equal("ResumableGreenlet.Spawn", Called(nameof(Spawner.SpawnGivenIn)));
    }

    [Fact]
    public void DelayedSpawnsAndConstructorsPointAtTheStarterTheBodyNeedsUnderTheSameRule()
    {
        string Made(string method) => ResumableWeaving.GreenletsMadeIn(WovenSpawnCases.Image, typeof(Spawner), method);

        Assert.Equal("ResumableGreenlet.SpawnLaterStackless", Made(nameof(Spawner.SpawnLaterParker)));
        Assert.Equal("ResumableGreenlet.SpawnLaterStackless", Made(nameof(Spawner.SpawnLaterSquare)));
        Assert.Equal("ResumableGreenlet.CreateStackless", Made(nameof(Spawner.CreateParker)));
        Assert.Equal("ResumableGreenlet.CreateStackless", Made(nameof(Spawner.CreateSquare)));
        Assert.Equal("ResumableGreenlet.CreateStackless", Made(nameof(Spawner.CreateAndStart)));
        // Not resumable: as compiled.
        Assert.Equal("Greenlet.SpawnLater", Made(nameof(Spawner.SpawnLaterUncovered)));
        Assert.Equal("Greenlet..ctor", Made(nameof(Spawner.CreateUncovered)));
        // Made elsewhere: decided at run time.
        Assert.Equal("ResumableGreenlet.SpawnLater", Made(nameof(Spawner.SpawnLaterGiven)));
        Assert.Equal("ResumableGreenlet.Create", Made(nameof(Spawner.CreateGiven)));
    }

    [Fact]
    public void ADelayedWovenSpawnWaitsItsDelayThenParksStackless()
    {
        var woven = NewSpawner();
        var delay = TimeSpan.FromMilliseconds(100);
        HubTest.Run(() =>
        {
            var stopwatch = Stopwatch.StartNew();
            var greenlet = (Greenlet)Call(woven, nameof(Spawner.SpawnLaterParker), delay);
            greenlet.Name = "late";
            var scheduled = LineOf("late");
            // Waits for the body to have run (a state), not for a fixed time.
            while (Log(woven).Count == 0)
            {
                Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            }

            var started = stopwatch.Elapsed;
            var parked = LineOf("late");
            greenlet.Kill();

            Assert.Contains("scheduled, not started yet, stackless", scheduled, StringComparison.Ordinal);
            Assert.True(started >= delay, $"the body ran {started.TotalMilliseconds} ms after the spawn, before its delay of {delay.TotalMilliseconds} ms");
            Assert.Contains("waiting on Sleep(Infinite), stackless", parked, StringComparison.Ordinal);
            Assert.True(greenlet.Dead);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });

        Assert.Equal(["late"], Log(woven));
    }

    [Fact]
    public void ADelayedWovenFuncReturnsWhatTheOriginalReturns()
    {
        HubTest.Run(() =>
        {
            var delay = TimeSpan.FromMilliseconds(20);
            var greenlet = (Greenlet<long>)Call(null, nameof(Spawner.SpawnLaterSquare), delay, 7);
            greenlet.Name = "square";
            var line = LineOf("square");
            var original = Spawner.SpawnLaterSquare(delay, 7);

            Assert.Contains("scheduled, not started yet, stackless", line, StringComparison.Ordinal);
            Assert.Equal(original.Get(), greenlet.Get());
            Assert.Equal(49, greenlet.Get());
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void AGreenletMadeByWovenCodeRunsStacklessHoweverItIsStarted()
    {
        var woven = NewSpawner();
        HubTest.Run(() =>
        {
            var parker = (Greenlet)Call(woven, nameof(Spawner.CreateParker));
            parker.Name = "parker";
            var unstarted = parker.Started;
            parker.StartLater(TimeSpan.FromMilliseconds(1));
            var square = (Greenlet<long>)Call(null, nameof(Spawner.CreateSquare), 6);
            square.Name = "square";
            square.Start();
            var started = (Greenlet)Call(woven, nameof(Spawner.CreateAndStart), 5);
            started.Name = "started";
            Greenlet.Yield();
            var (squareLine, startedLine) = (LineOf("square"), LineOf("started"));
            while (!Log(woven).Contains("created"))
            {
                Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            }

            var parkerLine = LineOf("parker");
            parker.Kill();
            started.Join();

            Assert.False(unstarted);
            Assert.Contains("waiting on Sleep(Infinite), stackless", parkerLine, StringComparison.Ordinal);
            Assert.Contains(", stackless", squareLine, StringComparison.Ordinal);
            Assert.Contains("waiting on Sleep(), stackless", startedLine, StringComparison.Ordinal);
            var original = Spawner.CreateSquare(6);
            original.Start();
            Assert.Equal(original.Get(), square.Get());
            Assert.True(parker.Dead && started.Successful, started.Exception?.ToString());
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });

        // The parker's 1 ms start and the sleeper's 5 ms wake may fire in one loop turn: their order is not the point.
        Assert.Equal(["created", "made", "woke"], Log(woven).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DelayedAndConstructedGreenletsOverOtherBodiesKeepTheirKind()
    {
        var woven = NewSpawner();
        HubTest.Run(() =>
        {
            var uncovered = (Greenlet)Call(woven, nameof(Spawner.SpawnLaterUncovered), TimeSpan.FromMilliseconds(1), Timeout.Infinite);
            uncovered.Name = "uncovered";
            var resumable = (Greenlet)Call(null, nameof(Spawner.SpawnLaterGiven), TimeSpan.FromMilliseconds(1), Body(woven, nameof(Spawner.Park)));
            resumable.Name = "resumable";
            var plain = (Greenlet)Call(null, nameof(Spawner.CreateGiven), (Action)(() => Greenlet.Sleep(Timeout.InfiniteTimeSpan)));
            plain.Name = "plain";
            plain.Start();
            var constructed = (Greenlet)Call(woven, nameof(Spawner.CreateUncovered), Timeout.Infinite);
            constructed.Name = "constructed";
            constructed.Start();
            while (Log(woven).Count < 3)
            {
                Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            }

            var lines = new[] { "uncovered", "resumable", "plain", "constructed" }.Select(LineOf).ToList();
            Greenlet.KillAll([uncovered, resumable, plain, constructed]);

            Assert.DoesNotContain("stackless", lines[0], StringComparison.Ordinal);
            Assert.Contains(", stackless", lines[1], StringComparison.Ordinal);
            Assert.DoesNotContain("stackless", lines[2], StringComparison.Ordinal);
            Assert.DoesNotContain("stackless", lines[3], StringComparison.Ordinal);
            Assert.True(uncovered.Dead && resumable.Dead && plain.Dead && constructed.Dead);
            // Thread-backed from the start, so nothing pinned.
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });

        Assert.Equal(["parked", "try", "try"], Log(woven).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ASpawningMethodIsNoLongerTakenToRunItsChildAndIsRewrittenItself()
    {
        var method = WovenSpawnCases.TypeOf(typeof(Spawner)).GetMethod(nameof(Spawner.SpawnThenYield))!;
        Assert.True(method.IsDefined(typeof(ResumableAttribute), inherit: false));

        var woven = NewSpawner();
        HubTest.Run(() =>
        {
            var greenlet = ResumableGreenlet.Spawn(Body(woven, nameof(Spawner.SpawnThenYield)));
            greenlet.Join();
            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });

        // The yield (rewritten to Greenlet.Yield) runs the child first.
        Assert.Equal(["child", "parent"], Log(woven));
    }

    [Fact]
    public void AWovenLambdaStartsStacklessAndRunsToItsEnd()
    {
        var woven = NewSpawner();
        HubTest.Run(() =>
        {
            var greenlet = (Greenlet)Call(woven, nameof(Spawner.SpawnSleeper), 5);
            greenlet.Name = "sleeper";
            Greenlet.Yield();
            Assert.Contains("waiting on Sleep(), stackless", LineOf("sleeper"), StringComparison.Ordinal);
            greenlet.Join();
            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });

        Assert.Equal(["sleeping", "woke"], Log(woven));
    }

    [Fact]
    public void ABodyThatNeverBlocksRunsStacklessOnTheCarrier()
    {
        HubTest.Run(() =>
        {
            var counter = new int[1];
            var greenlet = (Greenlet)Call(null, nameof(Spawner.SpawnCounter), counter);
            greenlet.Name = "counter";
            Assert.Contains("scheduled, not started yet, stackless", LineOf("counter"), StringComparison.Ordinal);
            greenlet.Join();

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(1, counter[0]);
        });
    }

    [Fact]
    public void TheRuntimesOwnWaitsSuspendWovenCodeStacklessly()
    {
        var woven = NewSpawner();
        HubTest.Run(() =>
        {
            var sleeper = (Greenlet)Call(woven, nameof(Spawner.SpawnGeventSleeper), TimeSpan.FromMilliseconds(5));
            sleeper.Name = "sleeper";
            var (input, output) = (new GreenQueue<int>(), new GreenQueue<int>());
            var echo = (Greenlet<int>)Call(null, nameof(Spawner.SpawnQueueEcho), input, output);
            echo.Name = "echo";
            Greenlet.Yield();
            var (sleeperLine, echoLine) = (LineOf("sleeper"), LineOf("echo"));
            input.Put(41);

            Assert.Equal(42, output.Get());
            Assert.Equal(41, echo.Get());
            sleeper.Join();
            Assert.Contains("waiting on Sleep(), stackless", sleeperLine, StringComparison.Ordinal);
            Assert.Contains(", stackless", echoLine, StringComparison.Ordinal);
            Assert.DoesNotContain("pinned", echoLine, StringComparison.Ordinal);
            Assert.True(sleeper.Successful, sleeper.Exception?.ToString());
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });

        Assert.Equal(["sleeping", "woke"], Log(woven));
    }

    [Fact]
    public void AWovenFuncReturnsItsValueComputedAcrossASuspension()
    {
        HubTest.Run(() =>
        {
            var greenlet = (Greenlet<long>)Call(null, nameof(Spawner.SpawnSquare), 7);
            greenlet.Name = "square";
            Assert.Contains(", stackless", LineOf("square"), StringComparison.Ordinal);
            Assert.Equal(49, greenlet.Get());
            Assert.Equal(Spawner.SpawnSquare(7).Get(), greenlet.Get());
        });
    }

    [Fact]
    public void ABodyOutsideTheSliceStillStartsWithAThread()
    {
        var woven = NewSpawner();
        HubTest.Run(() =>
        {
            var greenlet = (Greenlet)Call(woven, nameof(Spawner.SpawnUncovered), 5);
            greenlet.Name = "uncovered";
            Greenlet.Yield();
            var line = LineOf("uncovered");
            greenlet.Join();

            Assert.Contains("waiting on Sleep()", line, StringComparison.Ordinal);
            Assert.DoesNotContain("stackless", line, StringComparison.Ordinal);
            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            // Thread-backed from the start, so it never pinned.
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });

        Assert.Equal(["try"], Log(woven));
    }

    [Fact]
    public void ADelegateMadeElsewhereIsCheckedWhenItIsSpawned()
    {
        var woven = NewSpawner();
        HubTest.Run(() =>
        {
            var resumable = (Greenlet)Call(null, nameof(Spawner.SpawnGiven), Body(woven, nameof(Spawner.Park)));
            resumable.Name = "resumable";
            var plain = (Greenlet)Call(null, nameof(Spawner.SpawnGiven), (Action)(() => Greenlet.Sleep(Timeout.InfiniteTimeSpan)));
            plain.Name = "plain";
            var group = new Group();
            var member = (Greenlet)Call(null, nameof(Spawner.SpawnGivenIn), group, Body(woven, nameof(Spawner.Park)));
            member.Name = "member";
            Greenlet.Yield();
            var (resumableLine, plainLine, memberLine) = (LineOf("resumable"), LineOf("plain"), LineOf("member"));
            Greenlet.KillAll([resumable, plain, member]);

            Assert.Contains(", stackless", resumableLine, StringComparison.Ordinal);
            Assert.DoesNotContain("stackless", plainLine, StringComparison.Ordinal);
            Assert.Contains(", stackless", memberLine, StringComparison.Ordinal);
            Assert.True(resumable.Dead && plain.Dead && member.Dead);
            Assert.Empty(group);
        });

        Assert.Equal(["parked", "parked"], Log(woven));
    }

    [Fact]
    public void GroupSpawnsFromWovenCodeStartStacklessAndKeepTheGroupsBounds()
    {
        var woven = NewSpawner();
        HubTest.Run(() =>
        {
            var pool = new Pool(2);
            var members = Enumerable.Range(0, 3).Select(_ => (Greenlet)Call(woven, nameof(Spawner.SpawnIn), pool, 5)).ToList();
            members[2].Name = "third";
            var third = LineOf("third");
            // The third waited in SpawnIn for room: a member had ended before it was started.
            var endedBefore = Log(woven).Count;
            pool.Join();

            Assert.Contains(", stackless", third, StringComparison.Ordinal);
            Assert.True(endedBefore >= 1, "the pool started a third member while two ran");
            Assert.All(members, g => Assert.True(g.Successful, g.Exception?.ToString()));
            Assert.Empty(pool);
        });

        Assert.Equal(["member", "member", "member"], Log(woven));
    }

    [Fact]
    public void AnExceptionAfterASuspensionReachesTheSpawnerWithItsType()
    {
        HubTest.Run(() =>
        {
            var greenlet = (Greenlet)Call(null, nameof(Spawner.SpawnFailing));
            greenlet.Name = "failing";
            Assert.Contains(", stackless", LineOf("failing"), StringComparison.Ordinal);
            greenlet.Join();

            var exception = Assert.IsType<InvalidOperationException>(greenlet.Exception);
            Assert.Equal("failed after a yield", exception.Message);
            Assert.Contains("SpawnFailing", exception.StackTrace, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void AKillEndsAStacklessWovenParkerAndItsManySiblingsHoldNoThreads()
    {
        var woven = NewSpawner();
        HubTest.Run(() =>
        {
            const int count = 1_000;
            var before = Process.GetCurrentProcess().Threads.Count;
            var greenlets = new List<Greenlet>(count);
            for (var i = 0; i < count; i++)
            {
                greenlets.Add((Greenlet)Call(woven, nameof(Spawner.SpawnParker)));
                if (i == 99)
                {
                    // Should the spawns regress to thread-backed greenlets, stop at 100 rather than start 1,000 threads.
                    Greenlet.Yield();
                    if (Process.GetCurrentProcess().Threads.Count - before >= 50)
                    {
                        Greenlet.KillAll(greenlets);
                        Assert.Fail("100 woven parkers hold a thread each: they are not stackless");
                    }
                }
            }

            Greenlet.Yield();
            var during = Process.GetCurrentProcess().Threads.Count - before;
            var stacklessParked = Hub.Current.FormatRunInfo().Split('\n').Count(line => line.Contains(", stackless", StringComparison.Ordinal));
            var stopwatch = Stopwatch.StartNew();
            greenlets[0].Kill(new TimeoutException("stop"));
            Greenlet.KillAll(greenlets);

            // Other test classes run in parallel and start threads of their own: a wide margin, far below one per greenlet.
            Assert.True(during < 50, $"{during} threads more with {count} woven greenlets parked");
            Assert.Equal(count, stacklessParked);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30));
            Assert.Equal("stop", Assert.IsType<TimeoutException>(greenlets[0].Exception).Message);
            Assert.Contains("Spawner.Park", greenlets[0].Exception!.StackTrace, StringComparison.Ordinal);
            Assert.All(greenlets, g => Assert.True(g.Dead));
        }, timeoutSeconds: 120);

        Assert.Equal(Enumerable.Repeat("parked", 1_000), Log(woven));
    }

    private static object NewSpawner() => Activator.CreateInstance(WovenSpawnCases.TypeOf(typeof(Spawner)))!;

    private static List<string> Log(object spawner) => (List<string>)spawner.GetType().GetProperty(nameof(Spawner.Log))!.GetValue(spawner)!;

    private static Action Body(object spawner, string method) => (Action)Delegate.CreateDelegate(typeof(Action), spawner, method);

    /// <summary>Calls a woven <see cref="Spawner"/> member: an instance one on <paramref name="spawner"/>, a static one with null.</summary>
    private static object Call(object? spawner, string method, params object[] arguments) => WovenSpawnCases.Call(typeof(Spawner), spawner, method, arguments);
}
