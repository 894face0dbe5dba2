using System.Diagnostics;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Waits;

/// <summary>
/// A greenlet parked in <c>ManualResetEventSlim.Wait</c> (tier 1) is woken by a patched <c>Set</c> from any thread, by
/// the <c>Set</c> itself, and still by one from unpatched code; a pulse (Set, then Reset at once) that reaches it releases
/// it as it releases a waiting thread. A parked <c>SemaphoreSlim.Wait</c> is woken with its slot by a release from a
/// greenlet or a plain thread, only the waiter a release grants wakes, and a slot is taken exactly once.
/// </summary>
public class SlimSignalWakeTests
{
    private static readonly TimeSpan s_long = TimeSpan.FromSeconds(30);

    public enum Signaller
    {
        PatchedFromAGreenlet,
        PatchedFromAPlainThread,
        UnpatchedFromAPlainThread,
    }

    [Theory]
    [InlineData(Signaller.PatchedFromAGreenlet)]
    [InlineData(Signaller.PatchedFromAPlainThread)]
    [InlineData(Signaller.UnpatchedFromAPlainThread)]
    public void ASetWakesTheParkedWaiter(Signaller signaller)
    {
        var @event = new ManualResetEventSlim(false, 0);
        HubTest.Run(() =>
        {
            var waiter = Greenlet.Spawn(() => ManualResetEventSlimPatches.Wait(@event, s_long));
            WaitUntilParked(waiter);

            Signal(signaller, () => ManualResetEventSlimPatches.Set(@event), @event.Set);

            Assert.True(waiter.Get(s_long));
        });
    }

    [Fact]
    public void APatchedSetWakesTheWaiterBeforeWhatTheSettingThreadPostsNext()
    {
        var @event = new ManualResetEventSlim(false, 0);
        HubTest.Run(() =>
        {
            var waiter = Greenlet.Spawn(() => ManualResetEventSlimPatches.Wait(@event, s_long));
            WaitUntilParked(waiter);

            Assert.True(
                WokenBeforeTheNextPost(waiter, () => ManualResetEventSlimPatches.Set(@event)),
                "the waiter was still parked when the setting thread's next post ran: the Set did not wake it itself");
            Assert.True(waiter.Get(s_long));
        });
    }

    [Fact]
    public void AReleaseWakesOnlyTheWaiterItGranted()
    {
        var semaphore = new SemaphoreSlim(0, 2);
        HubTest.Run(() =>
        {
            var first = Greenlet.Spawn(() => SemaphoreSlimPatches.Wait(semaphore, TimeSpan.FromSeconds(5)));
            var second = Greenlet.Spawn(() => SemaphoreSlimPatches.Wait(semaphore, TimeSpan.FromSeconds(5)));
            WaitUntilParked(first);
            WaitUntilParked(second);

            OnPlainThread(() => semaphore.Release());
            Assert.True(first.Get(s_long));
            Assert.Equal(GreenletState.Parked, second.State);

            OnPlainThread(() => semaphore.Release());
            Assert.True(second.Get(s_long));
        });
    }

    [Fact]
    public void APatchedPulseFromAGreenletReleasesTheWaiterItReached()
    {
        var @event = new ManualResetEventSlim(false, 0);
        HubTest.Run(() =>
        {
            var waiter = Greenlet.Spawn(() => ManualResetEventSlimPatches.Wait(@event, TimeSpan.FromSeconds(5)));

            // The pulser runs right after the waiter parks, in the same hub turn, and checks that it did.
            var pulser = Greenlet.Spawn(() =>
            {
                var parked = waiter.WaitingOn is not null;
                ManualResetEventSlimPatches.Set(@event);
                @event.Reset();
                return parked;
            });

            Assert.True(pulser.Get(s_long), "the waiter was not parked when the pulse came");
            Assert.True(waiter.Get(s_long));
        });
    }

    [Fact]
    public void AnUnpatchedPulseThatTheRegisteredWaitSeesReleasesTheWaiter()
    {
        var @event = new ManualResetEventSlim(false, 0);
        HubTest.Run(() =>
        {
            var waiter = Greenlet.Spawn(() => ManualResetEventSlimPatches.Wait(@event, s_long));
            WaitUntilParked(waiter);

            // A pulse is seen only once the pool's wait thread has taken up the registration, which no API shows (on a
            // busy machine, not within any fixed pause): pulse, from unpatched code, until the waiter ends, at most 20 s.
            var pulses = Pulses.Until(
                () =>
                {
                    @event.Set();
                    @event.Reset();
                },
                waited => waiter.Join(waited));

            Assert.True(waiter.Dead, $"the waiter was still parked after {pulses} pulses");
            Assert.True(waiter.Get(s_long));
        });
    }

    [Fact]
    public void AParkedEventWaitStillTimesOutAndIsCancelled()
    {
        var @event = new ManualResetEventSlim(false, 0);
        HubTest.Run(() =>
        {
            var waited = Stopwatch.StartNew();
            Assert.False(ManualResetEventSlimPatches.Wait(@event, TimeSpan.FromMilliseconds(100)));
            Assert.True(waited.Elapsed >= TimeSpan.FromMilliseconds(90), $"timed out after {waited.Elapsed}");

            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            Assert.Throws<OperationCanceledException>(() => ManualResetEventSlimPatches.Wait(@event, cancel.Token));

            // The ended waits left nothing behind that a later Set would trip over.
            ManualResetEventSlimPatches.Set(@event);
            Assert.True(ManualResetEventSlimPatches.Wait(@event, 0));
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AReleaseWakesTheParkedWaiterWithItsSlot(bool fromAGreenlet)
    {
        var semaphore = new SemaphoreSlim(0, 1);
        HubTest.Run(() =>
        {
            var waiter = Greenlet.Spawn(() => SemaphoreSlimPatches.Wait(semaphore, s_long));
            WaitUntilParked(waiter);

            if (fromAGreenlet)
            {
                Greenlet.Spawn(() => semaphore.Release()).Get(s_long);
            }
            else
            {
                OnPlainThread(() => semaphore.Release());
            }

            Assert.True(waiter.Get(s_long));
            Assert.Equal(0, semaphore.CurrentCount);
        });
    }

    [Fact]
    public void AParkedSemaphoreWaitStillTimesOutAndIsCancelled()
    {
        var semaphore = new SemaphoreSlim(0, 1);
        HubTest.Run(() =>
        {
            Assert.False(SemaphoreSlimPatches.Wait(semaphore, TimeSpan.FromMilliseconds(100)));
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            Assert.Throws<OperationCanceledException>(() => SemaphoreSlimPatches.Wait(semaphore, cancel.Token));

            // Neither ended wait holds a slot or a place in the queue: the one release goes to the next wait.
            semaphore.Release();
            Assert.True(SemaphoreSlimPatches.Wait(semaphore, 0));
        });
    }

    [Fact]
    public void EachReleasedSlotIsTakenOnceWhileReleasesAndKillsRace()
    {
        const int waiters = 20, victims = 5, releases = 20;
        var semaphore = new SemaphoreSlim(0, releases);
        int acquired = 0, killedWaiting = 0;
        HubTest.Run(() =>
        {
            var parked = Enumerable.Range(0, waiters).Select(_ => Greenlet.Spawn(() =>
            {
                try
                {
                    if (SemaphoreSlimPatches.Wait(semaphore, s_long))
                    {
                        acquired++;
                    }
                }
                catch (GreenletExit)
                {
                    killedWaiting++;
                    throw;
                }
            })).ToList();
            parked.ForEach(WaitUntilParked);

            // Two plain threads and a greenlet of this hub release while the test kills waiters that may have just been
            // granted a slot.
            var plainReleasers = new[] { new Thread(() => Release(releases / 4, semaphore)), new Thread(() => Release(releases / 4, semaphore)) };
            Array.ForEach(plainReleasers, t => t.Start());
            var greenReleaser = Greenlet.Spawn(() => Release(releases / 2, semaphore));
            foreach (var victim in parked.Take(victims))
            {
                victim.Kill();
                Greenlet.Sleep(TimeSpan.Zero);
            }

            greenReleaser.Get(s_long);
            Assert.All(plainReleasers, t => Assert.True(t.Join(s_long)));
            Assert.All(parked, g => Assert.True(g.Join(s_long)));

            // A killed waiter's granted slot comes back from the pool; every other slot is held by one waiter or free.
            var deadline = Stopwatch.StartNew();
            while (acquired + semaphore.CurrentCount != releases && deadline.Elapsed < s_long)
            {
                Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
            }

            Assert.Equal(waiters, acquired + killedWaiting);
            Assert.Equal(releases, acquired + semaphore.CurrentCount);
        });
    }

    private static void Release(int times, SemaphoreSlim semaphore)
    {
        for (var i = 0; i < times; i++)
        {
            semaphore.Release();
            Thread.Yield();
        }
    }

    private static void Signal(Signaller signaller, Action patched, Action unpatched)
    {
        switch (signaller)
        {
            case Signaller.PatchedFromAGreenlet:
                Greenlet.Spawn(patched).Get(s_long);
                break;
            case Signaller.PatchedFromAPlainThread:
                OnPlainThread(patched);
                break;
            default:
                OnPlainThread(unpatched);
                break;
        }
    }

    /// <summary>
    /// Signals from a plain thread, which then posts to the waiter's hub: posts from one thread run in order, so a wake-up
    /// the signal itself posted has run by then; one that comes through the .NET thread pool may or may not have.
    /// </summary>
    private static bool WokenBeforeTheNextPost(Greenlet waiter, Action signal)
    {
        var woken = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        OnPlainThread(() =>
        {
            signal();
            waiter.Hub.Loop.RunCallbackThreadSafe(() => woken.TrySetResult(waiter.State != GreenletState.Parked));
        });
        var deadline = Stopwatch.StartNew();
        while (!woken.Task.IsCompleted && deadline.Elapsed < s_long)
        {
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
        }

        return woken.Task.IsCompleted && woken.Task.Result;
    }

    private static void OnPlainThread(Action action)
    {
        var thread = new Thread(() => action());
        thread.Start();
        Assert.True(thread.Join(s_long), "the plain thread did not finish");
    }

    private static void WaitUntilParked(Greenlet greenlet)
    {
        var deadline = Stopwatch.StartNew();
        while (greenlet.WaitingOn is null && deadline.Elapsed < s_long)
        {
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
        }

        Assert.NotNull(greenlet.WaitingOn);
    }
}
