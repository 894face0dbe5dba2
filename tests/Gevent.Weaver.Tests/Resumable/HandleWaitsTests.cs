using System.Diagnostics;
using System.Reflection;
using Gevent.Loop;
using Gevent.Tests.Patches.Waits;
using ResumableSpawnCases;
using static Gevent.Weaver.Tests.Resumable.RunInfoLines;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// <see cref="WaitHandle"/> waits of woven code (tier 2): over testassets/ResumableSpawnCases woven with resumable frames,
/// a greenlet blocked in <c>WaitOne</c> or <c>WaitAny</c> on events and semaphores suspends without a thread and
/// answers what the original answers on a plain thread; an auto-reset event's signal goes to one waiter; kills and
/// timeouts interrupt it and its finally blocks run; a mutex, owned by a thread, pins.
/// </summary>
// Alone: the thousand-waiters test counts the process's threads, which tests running beside it would add to.
[Collection(SequentialCollection.Name)]
public sealed class HandleWaitsTests
{
    private const int Long = 30_000;

    private static readonly Dictionary<string, Case> s_cases = new()
    {
        ["ManualResetEvent, WaitOne(), set"] = new(Events(set: 0, manualReset: true), nameof(HandleWaits.WaitOne), []),
        ["AutoResetEvent, WaitOne(int), set"] = new(Events(set: 0, manualReset: false), nameof(HandleWaits.WaitOneMilliseconds), [Long]),
        ["AutoResetEvent, WaitOne(TimeSpan), timed out"] =
            new(Events(set: null, manualReset: false), nameof(HandleWaits.WaitOneTimeSpan), [TimeSpan.FromMilliseconds(300)]),
        ["ManualResetEvent, WaitOne(int), timed out"] = new(Events(set: null, manualReset: true), nameof(HandleWaits.WaitOneMilliseconds), [300]),
        ["SemaphoreSlim.AvailableWaitHandle, WaitOne(int), released"] = new(
            () =>
            {
                var semaphore = new SemaphoreSlim(0);
                return ([semaphore.AvailableWaitHandle], () => semaphore.Release());
            },
            nameof(HandleWaits.WaitOneMilliseconds),
            [Long]),
        ["Semaphore, WaitOne(TimeSpan), released"] = new(
            () =>
            {
                var semaphore = new Semaphore(0, 2);
                return ([semaphore], () => semaphore.Release());
            },
            nameof(HandleWaits.WaitOneTimeSpan),
            [TimeSpan.FromMilliseconds(Long)]),
        ["two events, WaitAny(), second set"] = new(Events(set: 1, false, true), nameof(HandleWaits.WaitAny), []),
        ["two events, WaitAny(int), first set"] = new(Events(set: 0, true, false), nameof(HandleWaits.WaitAnyMilliseconds), [Long]),
        ["two events, WaitAny(TimeSpan), timed out"] =
            new(Events(set: null, false, false), nameof(HandleWaits.WaitAnyTimeSpan), [TimeSpan.FromMilliseconds(300)]),
    };

    public static TheoryData<string> Cases => new(s_cases.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void AWovenWaitSuspendsStacklesslyAndAnswersAsTheOriginalOnAThread(string name)
    {
        var @case = s_cases[name];
        var original = OnThread(@case);
        Outcome? woven = null;
        string waiting = "", info = "";
        HubTest.Run(() =>
        {
            var (handles, signal) = @case.Open();
            var waiter = (Greenlet)Call("Spawn" + @case.Method, [handles, .. @case.Arguments]);
            waiter.Name = "waiter";
            Greenlet.Yield();
            waiting = LineOf("waiter");
            signal?.Invoke();

            // The main greenlet keeps running meanwhile, so the waiter's wakes are real resumes of a suspended greenlet,
            // not a wait its carrier sits out alone. Bounded: a timed wait that took a fresh timeout at each resume
            // would never end.
            var stopwatch = Stopwatch.StartNew();
            while (!waiter.Dead && stopwatch.Elapsed < TimeSpan.FromSeconds(20))
            {
                Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            }

            Assert.True(waiter.Dead, "the wait did not end:\n" + Hub.Current.FormatRunInfo());
            woven = new Outcome(waiter.Successful ? ValueOf(waiter) : waiter.Exception!.GetType().Name, Signalled(handles));
            info = Hub.Current.FormatRunInfo();
        });

        Assert.Equal(original, woven);
        var waitName = @case.Method.StartsWith("WaitAny", StringComparison.Ordinal) ? "WaitHandle.WaitAny" : "WaitHandle.WaitOne";
        Assert.Contains($"waiting on {waitName}, stackless", waiting, StringComparison.Ordinal);
        Assert.DoesNotContain("pins:", info, StringComparison.Ordinal);
        // A wait that times out outlasts its first tries' pace: it resumed, tried and suspended again.
        Assert.True(Suspensions(info) >= (original.Result is false or WaitHandle.WaitTimeout ? 2 : 1), info);
    }

    [Theory]
    [InlineData(Timeout.Infinite)]
    [InlineData(10_000)]
    public void APulsedManualResetEventEndsAStacklessWaitWithTrueAsItEndsTheOriginalsOnAThread(int millisecondsTimeout)
    {
        var original = Pulses.OnPlainThread(@event => HandleWaits.WaitOneMilliseconds([@event], millisecondsTimeout));
        object? woven = null;
        var pulses = 0;
        var waiting = "";
        HubTest.Run(() =>
        {
            using var @event = new ManualResetEvent(false);
            var waiter = (Greenlet<bool>)Call(nameof(HandleWaits.SpawnWaitOneMilliseconds), [new WaitHandle[] { @event }, millisecondsTimeout]);
            waiter.Name = "waiter";
            Greenlet.Yield();
            // Suspended in the wait: its registered wait is in place (the wait registers it before it suspends).
            waiting = LineOf("waiter");
            pulses = Pulses.Until(@event, waited => waiter.Join(waited));
            woven = !waiter.Dead ? "still waiting" : waiter.Successful ? waiter.Value : waiter.Exception!.GetType().Name;
        });

        Assert.True(original, "the original on a thread");
        Assert.Contains("waiting on WaitHandle.WaitOne, stackless", waiting, StringComparison.Ordinal);
        Assert.True(true.Equals(woven), $"after {pulses} pulses the wait returned {woven}");
    }

    [Fact]
    public void AnAutoResetEventSetOnceWakesExactlyOneOfTwoStacklessWaiters() =>
        OneSignalTwoWaiters.AssertExactlyOneWakes(
            () => new AutoResetEvent(false),
            signal => HandleWaits.WaitOneMilliseconds([signal], 1_000),
            signal => (Greenlet<bool>)Call(nameof(HandleWaits.SpawnWaitOneMilliseconds), [new WaitHandle[] { signal }, 1_000]),
            signal => signal.Set(),
            signal => signal.WaitOne(0));

    [Fact]
    public void AThousandStacklessHandleWaitersHoldNoThreadsAndAKillRunsTheirFinallyBlocks() =>
        ThousandParkedWaiters.AssertStacklessAndKilled(
            () =>
            {
                // Half manual-reset events (watched by registered waits), half auto-reset ones (tried now and then).
                var handles = Enumerable.Range(0, 1_000).Select(i => i % 2 == 0 ? (WaitHandle)new ManualResetEvent(false) : new AutoResetEvent(false)).ToList();
                return (
                    (index, log) => (Greenlet)Call(nameof(HandleWaits.SpawnLoggedWait), [handles[index], log]),
                    () => handles.ForEach(h => h.Dispose()));
            },
            "WaitHandle.WaitOne",
            "woven handle waiters",
            "HandleWaits.LoggedWait");

    [Fact]
    public void AGreenTimeoutInterruptsAStacklessHandleWaitAndASetEndsAnother()
    {
        var log = new List<string>();
        HubTest.Run(() =>
        {
            using var never = new ManualResetEvent(false);
            using var set = new AutoResetEvent(false);
            var timed = (Greenlet)Call(nameof(HandleWaits.SpawnTimedWait), [never, TimeSpan.FromMilliseconds(20), log]);
            timed.Name = "timed";
            var answered = (Greenlet)Call(nameof(HandleWaits.SpawnLoggedWait), [set, log]);
            answered.Name = "answered";
            Greenlet.Yield();
            var (timedLine, answeredLine) = (LineOf("timed"), LineOf("answered"));
            timed.Join();
            set.Set();
            answered.Join(TimeSpan.FromSeconds(20));

            Assert.Contains("waiting on WaitHandle.WaitOne, stackless", timedLine, StringComparison.Ordinal);
            Assert.Contains("waiting on WaitHandle.WaitOne, stackless", answeredLine, StringComparison.Ordinal);
            Assert.True(timed.Successful && answered.Successful, (timed.Exception ?? answered.Exception)?.ToString());
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });

        Assert.Equal(["finally", "timed out", "signalled", "finally"], log);
    }

    [Fact]
    public void AKilledAndATimedOutStacklessHandleWaitLeaveNeitherTimerNorRegisteredWaitBehind()
    {
        var log = new List<string>();
        bool idleBefore = false, aliveWhileWaiting = false, idleAfter = false, idleAfterSets = false;
        HubTest.Run(() =>
        {
            using var killedOn = new ManualResetEvent(false);
            using var timedOn = new ManualResetEvent(false);
            idleBefore = !LoopIsAlive();
            var killed = (Greenlet)Call(nameof(HandleWaits.SpawnLoggedWait), [killedOn, log]);
            // Long enough that both waits' tries are at their slowest pace (a second): a timer left behind is still due.
            var timed = (Greenlet)Call(nameof(HandleWaits.SpawnTimedWait), [timedOn, TimeSpan.FromSeconds(2.5), log]);
            Greenlet.Yield();
            aliveWhileWaiting = LoopIsAlive();
            timed.Join(TimeSpan.FromSeconds(20));
            killed.Kill();
            idleAfter = !LoopIsAlive();

            // A registered wait left behind would post a wake to the loop as its event is set, which this greenlet,
            // keeping the baton, leaves queued. The control, registered after the waits', shows the pool has run the
            // sets' callbacks.
            using var controlRan = new ManualResetEventSlim();
            var control = ThreadPool.RegisterWaitForSingleObject(timedOn, (_, _) => controlRan.Set(), null, Timeout.Infinite, executeOnlyOnce: true);
            killedOn.Set();
            timedOn.Set();
            controlRan.Wait(TimeSpan.FromSeconds(20));
            Thread.Sleep(200);
            idleAfterSets = controlRan.IsSet && !LoopIsAlive();
            control.Unregister(null);
        });

        Assert.True(idleBefore && aliveWhileWaiting, $"the control: idle before {idleBefore}, alive while waiting {aliveWhileWaiting}");
        Assert.True(idleAfter, "a timer was left behind");
        Assert.True(idleAfterSets, "a registered wait was left behind");
        Assert.Equal(["finally", "timed out", "finally"], log);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AMutexWaitPinsAndAnswersAsTheOriginalOnAThread(bool abandoned)
    {
        var original = HeldMutex(abandoned, mutex =>
        {
            object? outcome = null;
            var waiter = new Thread(() => outcome = PlainThreadWaits.Try(() => HandleWaits.WaitAndRelease(mutex, Long)));
            waiter.Start();
            PlainThreadWaits.WaitUntilBlocked(waiter);
            return (() => outcome, () => waiter.Join());
        });
        var waiting = "";
        var info = "";
        object? woven = null;
        HubTest.Run(() => woven = HeldMutex(abandoned, mutex =>
        {
            var waiter = (Greenlet<bool>)Call(nameof(HandleWaits.SpawnMutexWait), [mutex, Long]);
            waiter.Name = "waiter";
            Greenlet.Yield();
            waiting = LineOf("waiter");
            return (
                () => waiter.Successful ? waiter.Value : waiter.Exception!.GetType().Name,
                () =>
                {
                    waiter.Join(TimeSpan.FromSeconds(20));
                    info = Hub.Current.FormatRunInfo();
                });
        }));

        Assert.Equal(abandoned ? nameof(AbandonedMutexException) : true, original);
        Assert.Equal(original, woven);
        Assert.Contains("waiting on WaitHandle.WaitOne, stackless, pinned (ThreadOwnedWait)", waiting, StringComparison.Ordinal);
        Assert.Contains("pins: ThreadOwnedWait 1", info, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AHeldMutexKeepsItsGreenletOnTheThreadThatTookItUntilReleased(bool abandoned)
    {
        using var original = Mutex(abandoned);
        Assert.True(HandleWaits.HoldAcrossSleep(original, 50));

        object? woven = null;
        var holdingLine = "";
        var info = "";
        HubTest.Run(() =>
        {
            using var mutex = Mutex(abandoned);
            using var blocking = new Mutex();
            using var letGo = new ManualResetEventSlim();
            var holder = new Thread(() =>
            {
                blocking.WaitOne();
                letGo.Wait();
                blocking.ReleaseMutex();
            });
            holder.Start();
            PlainThreadWaits.WaitUntilBlocked(holder);

            // The holding greenlet takes the mutex and sleeps; its carrier then runs the second, which pins on a mutex
            // the thread holds. Had the first suspended, it would resume on another carrier, not the mutex's owner.
            var holding = (Greenlet<bool>)Call(nameof(HandleWaits.SpawnHoldAcrossSleep), [mutex, 200]);
            holding.Name = "holding";
            var pinned = (Greenlet<bool>)Call(nameof(HandleWaits.SpawnMutexWait), [blocking, Long]);
            Greenlet.Yield();
            holdingLine = LineOf("holding");
            holding.Join(TimeSpan.FromSeconds(20));
            letGo.Set();
            pinned.Join(TimeSpan.FromSeconds(20));
            holder.Join();
            woven = holding.Successful ? holding.Value : holding.Exception;
            info = Hub.Current.FormatRunInfo();
        });

        Assert.Equal(true, woven);
        Assert.Contains("stackless, pinned (MutexHeld)", holdingLine, StringComparison.Ordinal);
        Assert.Contains("MutexHeld 1", info, StringComparison.Ordinal);

        // Taken by a thread that ended without releasing it if abandoned, else free.
        static Mutex Mutex(bool abandoned)
        {
            var mutex = new Mutex();
            if (abandoned)
            {
                var thread = new Thread(() => mutex.WaitOne());
                thread.Start();
                thread.Join();
            }

            return mutex;
        }
    }

    [Fact]
    public void NestedHoldsOfAMutexPinUntilTheLastReleaseAndThenTheGreenletSuspendsAgain()
    {
        WaitHandle[] Handles() => [new ManualResetEvent(false), new Mutex()];
        var original = HandleWaits.NestedHolds(Handles(), 1);
        object? woven = null;
        var info = "";
        HubTest.Run(() =>
        {
            var nested = (Greenlet<int>)Call(nameof(HandleWaits.SpawnNestedHolds), [Handles(), 20]);
            // The main greenlet stays ready, so each of the sleeps hands the hub over (pinned or suspended) rather than
            // run the loop itself on the sleeper's thread.
            var stopwatch = Stopwatch.StartNew();
            while (!nested.Dead && stopwatch.Elapsed < TimeSpan.FromSeconds(20))
            {
                Greenlet.Yield();
            }

            woven = nested.Successful ? nested.Value : nested.Exception;
            info = Hub.Current.FormatRunInfo();
        });

        Assert.Equal(1, original);
        Assert.Equal(original, woven);
        // The sleeps while it holds the mutex once, twice, then once again pin; the one after the last release suspends.
        Assert.True(info.Contains("pins: MutexHeld 3", StringComparison.Ordinal) && Suspensions(info) >= 1, info);
    }

    /// <summary>
    /// Starts a waiter (<paramref name="wait"/>: its outcome and a join) on a mutex a thread holds, then has the thread
    /// release it or end without (abandoned).
    /// </summary>
    private static object? HeldMutex(bool abandoned, Func<Mutex, (Func<object?> Outcome, Action Join)> wait)
    {
        using var mutex = new Mutex();
        using var held = new ManualResetEventSlim();
        using var letGo = new ManualResetEventSlim();
        var holder = new Thread(() =>
        {
            mutex.WaitOne();
            held.Set();
            letGo.Wait();
            if (!abandoned)
            {
                mutex.ReleaseMutex();
            }
        });
        holder.Start();
        held.Wait();
        var (outcome, join) = wait(mutex);
        letGo.Set();
        holder.Join();
        join();
        return outcome();
    }

    /// <summary>The original assembly's wait on a plain thread: signalled once the thread blocks in it.</summary>
    private static Outcome OnThread(Case @case)
    {
        var (handles, signal) = @case.Open();
        object? result = null;
        var method = typeof(HandleWaits).GetMethod(@case.Method)!;
        var waiter = new Thread(() => result = PlainThreadWaits.Try(() => method.Invoke(null, [handles, .. @case.Arguments])));
        waiter.Start();
        PlainThreadWaits.WaitUntilBlocked(waiter);
        signal?.Invoke();

        waiter.Join();
        return new Outcome(result, Signalled(handles));
    }

    /// <summary>Whether each handle is signalled after the wait (what the wait took, or left, of it).</summary>
    private static string Signalled(WaitHandle[] handles) => string.Join(",", handles.Select(h => h.WaitOne(0)));

    /// <summary>Whether anything keeps the current hub's loop alive: a ready greenlet or callback, a timer, a posted callback.</summary>
    private static bool LoopIsAlive() =>
        (bool)typeof(EventLoop).GetProperty("IsAlive", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(Hub.Current.Loop)!;

    private static object? ValueOf(Greenlet greenlet) => greenlet.GetType().GetProperty(nameof(Greenlet<int>.Value))!.GetValue(greenlet);

    /// <summary>Events, manual-reset or auto-reset as <paramref name="manualReset"/> says; the one of index <paramref name="set"/> is set to end the wait, none if null.</summary>
    private static Func<(WaitHandle[], Action?)> Events(int? set, params bool[] manualReset) => () =>
    {
        var events = manualReset.Select(m => m ? (EventWaitHandle)new ManualResetEvent(false) : new AutoResetEvent(false)).ToArray();
        return ([.. events], set is { } index ? () => events[index].Set() : null);
    };

    /// <summary>Calls a static member of the woven <see cref="HandleWaits"/>.</summary>
    private static object Call(string method, object[] arguments) => WovenSpawnCases.Call(typeof(HandleWaits), null, method, arguments);

    private sealed record Outcome(object? Result, string Signalled);

    /// <param name="Open">Makes the handles and what ends the wait by signalling one (null: nothing does, and it times out).</param>
    /// <param name="Method">The wait of <see cref="HandleWaits"/>; its spawner is "Spawn" and its name.</param>
    /// <param name="Arguments">The timeout, if any.</param>
    private sealed record Case(Func<(WaitHandle[] Handles, Action? Signal)> Open, string Method, object[] Arguments);
}
