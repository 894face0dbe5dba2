using System.Diagnostics;
using ResumableSpawnCases;
using static Gevent.Weaver.Tests.Resumable.RunInfoLines;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// <see cref="SemaphoreSlim.Wait()"/> and <see cref="ManualResetEventSlim.Wait()"/> of woven code (tier 2): over
/// testassets/ResumableSpawnCases woven with resumable frames, a greenlet blocked in either suspends without a thread
/// and answers what the original answers on a plain thread (released, set, timed out, cancelled); a release of one
/// slot goes to one waiter; kills and timeouts interrupt it and its finally blocks run.
/// </summary>
// Alone: the thousand-waiters test counts the process's threads, which tests running beside it would add to.
[Collection(SequentialCollection.Name)]
public sealed class SlimWaitsTests
{
    private const int Long = 30_000;
    private static readonly TimeSpan s_short = TimeSpan.FromMilliseconds(300);

    private static readonly Dictionary<string, Case> s_cases = new()
    {
        ["SemaphoreSlim, Wait(), released"] = new(Semaphore, nameof(SlimWaits.SemaphoreWait), [], End.Signal),
        ["SemaphoreSlim, Wait(int), released"] = new(Semaphore, nameof(SlimWaits.SemaphoreWaitMilliseconds), [Long], End.Signal),
        ["SemaphoreSlim, Wait(TimeSpan), timed out"] = new(Semaphore, nameof(SlimWaits.SemaphoreWaitTimeSpan), [s_short], End.None),
        ["SemaphoreSlim, Wait(CancellationToken), cancelled"] = new(Semaphore, nameof(SlimWaits.SemaphoreWaitToken), [], End.Cancel),
        ["SemaphoreSlim, Wait(int, CancellationToken), timed out"] =
            new(Semaphore, nameof(SlimWaits.SemaphoreWaitMillisecondsToken), [300], End.None),
        ["SemaphoreSlim, Wait(TimeSpan, CancellationToken), released"] =
            new(Semaphore, nameof(SlimWaits.SemaphoreWaitTimeSpanToken), [TimeSpan.FromMilliseconds(Long)], End.Signal),
        ["ManualResetEventSlim, Wait(), set"] = new(Event, nameof(SlimWaits.EventWait), [], End.Signal),
        ["ManualResetEventSlim, Wait(int), timed out"] = new(Event, nameof(SlimWaits.EventWaitMilliseconds), [300], End.None),
        ["ManualResetEventSlim, Wait(TimeSpan), set"] = new(Event, nameof(SlimWaits.EventWaitTimeSpan), [TimeSpan.FromMilliseconds(Long)], End.Signal),
        ["ManualResetEventSlim, Wait(CancellationToken), set"] = new(Event, nameof(SlimWaits.EventWaitToken), [], End.Signal),
        ["ManualResetEventSlim, Wait(int, CancellationToken), cancelled"] =
            new(Event, nameof(SlimWaits.EventWaitMillisecondsToken), [Long], End.Cancel),
        ["ManualResetEventSlim, Wait(TimeSpan, CancellationToken), timed out"] =
            new(Event, nameof(SlimWaits.EventWaitTimeSpanToken), [s_short], End.None),
    };

    /// <summary>How a case's wait ends: a release or set, its token cancelled, or nothing (it times out).</summary>
    private enum End
    {
        None,
        Signal,
        Cancel,
    }

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
            var (primitive, signal, state) = @case.Open();
            using var cancellation = new CancellationTokenSource();
            var waiter = (Greenlet)Call("Spawn" + @case.Method, Arguments(@case, primitive, cancellation));
            waiter.Name = "waiter";
            Greenlet.Yield();
            waiting = LineOf("waiter");
            Ending(@case, signal, cancellation)?.Invoke();

            // The main greenlet keeps running meanwhile, so the waiter's wakes are real resumes of a suspended greenlet.
            // Bounded: a timed wait that took a fresh timeout at each resume would never end.
            var stopwatch = Stopwatch.StartNew();
            while (!waiter.Dead && stopwatch.Elapsed < TimeSpan.FromSeconds(20))
            {
                Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            }

            Assert.True(waiter.Dead, "the wait did not end:\n" + Hub.Current.FormatRunInfo());
            woven = new Outcome(waiter.Successful ? ((Greenlet<bool>)waiter).Value : waiter.Exception!.GetType().Name, state());
            info = Hub.Current.FormatRunInfo();
        });

        Assert.Equal(original, woven);
        var waitName = @case.Method.StartsWith("Semaphore", StringComparison.Ordinal) ? "SemaphoreSlim.Wait" : "ManualResetEventSlim.Wait";
        Assert.Contains($"waiting on {waitName}, stackless", waiting, StringComparison.Ordinal);
        Assert.DoesNotContain("pins:", info, StringComparison.Ordinal);
        // A wait that times out outlasts its first tries' pace: it resumed, tried and suspended again.
        Assert.True(Suspensions(info) >= (@case.End == End.None ? 2 : 1), info);
    }

    [Fact]
    public void AReleaseOfOneSlotWakesExactlyOneOfTwoStacklessWaiters() =>
        OneSignalTwoWaiters.AssertExactlyOneWakes(
            () => new SemaphoreSlim(0),
            semaphore => SlimWaits.SemaphoreWaitMilliseconds(semaphore, 1_000),
            semaphore => (Greenlet<bool>)Call(nameof(SlimWaits.SpawnSemaphoreWaitMilliseconds), semaphore, 1_000),
            semaphore => semaphore.Release(1),
            semaphore => semaphore.CurrentCount != 0);

    [Fact]
    public void AThousandStacklessSlimWaitersHoldNoThreadsAndAKillRunsTheirFinallyBlocks() =>
        ThousandParkedWaiters.AssertStacklessAndKilled(
            () =>
            {
                var events = Enumerable.Range(0, 1_000).Select(_ => new ManualResetEventSlim()).ToList();
                return (
                    (index, log) => (Greenlet)Call(nameof(SlimWaits.SpawnLoggedEventWait), events[index], log),
                    () => events.ForEach(e => e.Dispose()));
            },
            "ManualResetEventSlim.Wait",
            "woven slim event waiters",
            "SlimWaits.LoggedEventWait");

    [Fact]
    public void AGreenTimeoutInterruptsAStacklessSemaphoreWaitAndASetEndsAnEventWait()
    {
        var log = new List<string>();
        HubTest.Run(() =>
        {
            using var never = new SemaphoreSlim(0);
            using var set = new ManualResetEventSlim();
            var timed = (Greenlet)Call(nameof(SlimWaits.SpawnTimedSemaphoreWait), never, TimeSpan.FromMilliseconds(20), log);
            timed.Name = "timed";
            var answered = (Greenlet)Call(nameof(SlimWaits.SpawnLoggedEventWait), set, log);
            answered.Name = "answered";
            Greenlet.Yield();
            var (timedLine, answeredLine) = (LineOf("timed"), LineOf("answered"));
            timed.Join();
            set.Set();
            answered.Join(TimeSpan.FromSeconds(20));

            Assert.Contains("waiting on SemaphoreSlim.Wait, stackless", timedLine, StringComparison.Ordinal);
            Assert.Contains("waiting on ManualResetEventSlim.Wait, stackless", answeredLine, StringComparison.Ordinal);
            Assert.True(timed.Successful && answered.Successful, (timed.Exception ?? answered.Exception)?.ToString());
            Assert.Equal(0, never.CurrentCount);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });

        Assert.Equal(["finally", "timed out", "set", "finally"], log);
    }

    [Theory]
    [InlineData(nameof(SlimWaits.SpawnSemaphoreWaitToken))]
    [InlineData(nameof(SlimWaits.SpawnEventWaitToken))]
    public void ACancelledTokenSoonEndsASuspendedSlimWait(string spawn)
    {
        // Wide: a wake takes milliseconds; the tries' slowest pace is a second.
        var bound = TimeSpan.FromSeconds(5);
        var waiting = "";
        var woke = TimeSpan.MaxValue;
        object? outcome = null;
        HubTest.Run(() =>
        {
            var (primitive, _, _) = spawn == nameof(SlimWaits.SpawnSemaphoreWaitToken) ? Semaphore() : Event();
            using var cancellation = new CancellationTokenSource();
            var waiter = (Greenlet<bool>)Call(spawn, primitive, cancellation.Token);
            waiter.Name = "waiter";
            Greenlet.Yield();
            waiting = LineOf("waiter");
            var sinceCancel = Stopwatch.StartNew();
            cancellation.Cancel();
            if (waiter.Join(TimeSpan.FromSeconds(20)))
            {
                woke = sinceCancel.Elapsed;
            }

            outcome = waiter.Successful ? waiter.Value : waiter.Exception?.GetType().Name;
        });

        Assert.Contains(", stackless", waiting, StringComparison.Ordinal);
        Assert.Equal(nameof(OperationCanceledException), outcome);
        Assert.True(woke < bound, $"the cancelled wait ended after {woke}");
    }

    /// <summary>The original assembly's wait on a plain thread, ended as the case says once the thread blocks in it.</summary>
    private static Outcome OnThread(Case @case)
    {
        var (primitive, signal, state) = @case.Open();
        using var cancellation = new CancellationTokenSource();
        object? result = null;
        var method = typeof(SlimWaits).GetMethod(@case.Method)!;
        var arguments = Arguments(@case, primitive, cancellation);
        var waiter = new Thread(() => result = PlainThreadWaits.Try(() => method.Invoke(null, arguments)));
        waiter.Start();
        PlainThreadWaits.WaitUntilBlocked(waiter);
        Ending(@case, signal, cancellation)?.Invoke();

        waiter.Join();
        return new Outcome(result, state());
    }

    /// <summary>The wait's arguments: the primitive, the timeout if any, and the token for a method that takes one.</summary>
    private static object[] Arguments(Case @case, object primitive, CancellationTokenSource cancellation) =>
        @case.Method.EndsWith("Token", StringComparison.Ordinal) ? [primitive, .. @case.Timeout, cancellation.Token] : [primitive, .. @case.Timeout];

    private static Action? Ending(Case @case, Action signal, CancellationTokenSource cancellation) => @case.End switch
    {
        End.Signal => signal,
        End.Cancel => cancellation.Cancel,
        _ => null,
    };

    /// <summary>A semaphore with no free slot; its signal releases one; its state is its count after the wait.</summary>
    private static (object, Action, Func<object>) Semaphore()
    {
        var semaphore = new SemaphoreSlim(0);
        return (semaphore, () => semaphore.Release(), () => semaphore.CurrentCount);
    }

    /// <summary>An event not set; its signal sets it; its state is whether it is set after the wait.</summary>
    private static (object, Action, Func<object>) Event()
    {
        var @event = new ManualResetEventSlim();
        return (@event, @event.Set, () => @event.IsSet);
    }

    /// <summary>Calls a static member of the woven <see cref="SlimWaits"/>.</summary>
    private static object Call(string method, params object[] arguments) => WovenSpawnCases.Call(typeof(SlimWaits), null, method, arguments);

    private sealed record Outcome(object? Result, object State);

    /// <param name="Open">Makes the primitive, what signals it (a release, a set) and what reads its state after the wait.</param>
    /// <param name="Method">The wait of <see cref="SlimWaits"/>; its spawner is "Spawn" and its name.</param>
    /// <param name="Timeout">The timeout, if any.</param>
    /// <param name="End">How the wait is ended.</param>
    private sealed record Case(Func<(object Primitive, Action Signal, Func<object> State)> Open, string Method, object[] Timeout, End End);
}
