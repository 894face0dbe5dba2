using System.Runtime.CompilerServices;
using Gevent.Patches;
using Subject = Gevent.Tests.Patches.BlockedAtOnce.Subject;

namespace Gevent.Tests.Patches.Waits;

/// <summary>Every wait, blocked in by many greenlets at once, interrupted by a kill and a timeout, and reused (see <see cref="BlockedAtOnce"/>).</summary>
public class WaitsBlockedAtOnceTests
{
    public static TheoryData<string> Apis() =>
    [
        "Task.Wait", "Task.Wait(ct)", "Task<T>.Result", "TaskAwaiter.GetResult", "TaskAwaiter<T>.GetResult",
        "ValueTaskAwaiter.GetResult", "ValueTaskAwaiter<T>.GetResult", "ValueTask<T>.Result", "Task.WaitAll", "Task.WaitAny",
        "SemaphoreSlim.Wait", "ManualResetEventSlim.Wait", "CountdownEvent.Wait", "WaitHandle.WaitOne(ManualResetEvent)",
        "WaitHandle.WaitOne(AutoResetEvent)", "WaitHandle.WaitOne(Semaphore)", "WaitHandle.WaitAll", "WaitHandle.WaitAny",
        "Barrier.SignalAndWait", "Thread.Join",
    ];

    [Theory]
    [MemberData(nameof(Apis))]
    public void ManyBlockedAtOnceFinishTogetherAndKillOrTimeoutInterruptsOne(string api) => BlockedAtOnce.Check(() => Create(api));

    private static Subject Create(string api)
    {
        switch (api)
        {
            case "SemaphoreSlim.Wait":
            {
                // A kill or timeout that left its async waiter behind would take the one slot released later.
                var semaphore = new SemaphoreSlim(0);
                return new(() => SemaphoreSlimPatches.Wait(semaphore), () => semaphore.Release(), semaphore);
            }

            case "ManualResetEventSlim.Wait":
            {
                var @event = new ManualResetEventSlim();
                return new(() => Assert.True(ManualResetEventSlimPatches.Wait(@event, Timeout.Infinite)), @event.Set, @event);
            }

            case "CountdownEvent.Wait":
            {
                var countdown = new CountdownEvent(1);
                return new(() => CountdownEventPatches.Wait(countdown), () => countdown.Signal(), countdown);
            }

            case "WaitHandle.WaitOne(ManualResetEvent)":
            {
                var @event = new ManualResetEvent(false);
                return new(() => Assert.True(WaitHandlePatches.WaitOne(@event)), () => @event.Set(), @event);
            }

            case "WaitHandle.WaitOne(AutoResetEvent)":
            {
                var @event = new AutoResetEvent(false);
                return new(() => Assert.True(WaitHandlePatches.WaitOne(@event, TimeSpan.FromSeconds(20))), () => @event.Set(), @event);
            }

            case "WaitHandle.WaitOne(Semaphore)":
            {
                var semaphore = new Semaphore(0, 1);
                return new(() => Assert.True(WaitHandlePatches.WaitOne(semaphore, 20_000)), () => semaphore.Release(), semaphore);
            }

            case "WaitHandle.WaitAll":
            {
                var (set, released) = (new ManualResetEvent(true), new AutoResetEvent(false));
                return new(() => Assert.True(WaitHandlePatches.WaitAll([set, released])), () => released.Set(), set, released);
            }

            case "WaitHandle.WaitAny":
            {
                var (never, released) = (new ManualResetEvent(false), new AutoResetEvent(false));
                return new(() => Assert.Equal(1, WaitHandlePatches.WaitAny([never, released])), () => released.Set(), never, released);
            }

            case "Barrier.SignalAndWait":
            {
                // The release is the other participant, on a plain thread. A kill or timeout that left its signal
                // would complete the phase with the next waiter alone.
                var barrier = new Barrier(2);
                return new(() => BarrierPatches.SignalAndWait(barrier), () => Task.Run(() => barrier.SignalAndWait()), barrier);
            }

            case "Thread.Join":
            {
                var gate = new ManualResetEventSlim();
                var thread = new Thread(() => gate.Wait()) { IsBackground = true };
                thread.Start();
                return new(() => ThreadPatches.Join(thread), gate.Set, gate);
            }

            default:
                return TaskSubject(api);
        }
    }

    private static Subject TaskSubject(string api)
    {
        var source = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = source.Task;
        Action block = api switch
        {
            "Task.Wait" => () => TaskPatches.Wait(task),
            "Task.Wait(ct)" => () => TaskPatches.Wait(task, new CancellationTokenSource().Token),
            "Task<T>.Result" => () => Assert.Equal(7, TaskPatches.Result(task)),
            "TaskAwaiter.GetResult" => () =>
            {
                var awaiter = ((Task)task).GetAwaiter();
                AwaiterPatches.GetResult(ref awaiter);
            },
            "TaskAwaiter<T>.GetResult" => () =>
            {
                var awaiter = task.GetAwaiter();
                Assert.Equal(7, AwaiterPatches.GetResult(ref awaiter));
            },
            "ValueTaskAwaiter.GetResult" => () =>
            {
                var awaiter = new ValueTask(task).GetAwaiter();
                AwaiterPatches.GetResult(ref awaiter);
            },
            "ValueTaskAwaiter<T>.GetResult" => () =>
            {
                var awaiter = new ValueTask<int>(task).GetAwaiter();
                Assert.Equal(7, AwaiterPatches.GetResult(ref awaiter));
            },
            "ValueTask<T>.Result" => () =>
            {
                var value = new ValueTask<int>(task);
                Assert.Equal(7, AwaiterPatches.Result(ref value));
            },
            "Task.WaitAll" => () => TaskPatches.WaitAll(Task.CompletedTask, task),
            "Task.WaitAny" => () => Assert.Equal(1, TaskPatches.WaitAny(new TaskCompletionSource().Task, task)),
            _ => throw new ArgumentException(api),
        };
        return new(block, () => source.SetResult(7));
    }
}
