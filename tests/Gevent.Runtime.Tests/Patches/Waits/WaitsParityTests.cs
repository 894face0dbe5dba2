using System.Runtime.CompilerServices;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Waits;

/// <summary>
/// Each wait against its original side by side, on a plain thread and in a greenlet: the same results
/// (timeouts included) and the same exception types.
/// </summary>
public class WaitsParityTests
{
    private static readonly Task s_faulted = Task.FromException<int>(new InvalidOperationException());
    private static readonly Task<int> s_cancelled = Task.FromCanceled<int>(new CancellationToken(true));
    private static readonly Task<int> s_done = Task.FromResult(3);
    private static readonly CancellationToken s_cancelling = new(true);

    private static Task<int> Pending => new TaskCompletionSource<int>().Task;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TaskWaitsMatchTheOriginals(bool inGreenlet) => Parity.Run(inGreenlet, () =>
    {
        foreach (var task in new[] { s_faulted, s_cancelled, s_done })
        {
            Same(() => task.Wait(), () => TaskPatches.Wait(task));
            Same(() => task.Wait(s_cancelling), () => TaskPatches.Wait(task, s_cancelling));
            Same(() => task.Wait(10), () => TaskPatches.Wait(task, 10));
        }

        var pending = Pending;
        Same(() => pending.Wait(20), () => TaskPatches.Wait(pending, 20));
        Same(() => pending.Wait(TimeSpan.FromMilliseconds(20)), () => TaskPatches.Wait(pending, TimeSpan.FromMilliseconds(20)));
        Same(() => pending.Wait(20, CancellationToken.None), () => TaskPatches.Wait(pending, 20, CancellationToken.None));
        Same(() => pending.Wait(-2), () => TaskPatches.Wait(pending, -2));
        Same(() => pending.Wait(TimeSpan.FromDays(30)), () => TaskPatches.Wait(pending, TimeSpan.FromDays(30)));
        Same(() => pending.Wait(s_cancelling), () => TaskPatches.Wait(pending, s_cancelling));
        Same(() => pending.Wait(TimeSpan.FromSeconds(20), s_cancelling), () => TaskPatches.Wait(pending, TimeSpan.FromSeconds(20), s_cancelling));
        Same(() => pending.Wait(20_000, new CancellationTokenSource(10).Token), () => TaskPatches.Wait(pending, 20_000, new CancellationTokenSource(10).Token));
        Same(() => ((Task)null!).Wait(), () => TaskPatches.Wait(null!));
        Same(() => ((Task<int>)null!).Result, () => TaskPatches.Result<int>(null!));
        Same(() => s_done.Result, () => TaskPatches.Result(s_done));
        Same(() => s_cancelled.Result, () => TaskPatches.Result(s_cancelled));
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WaitAllAndWaitAnyMatchTheOriginals(bool inGreenlet) => Parity.Run(inGreenlet, () =>
    {
        var pending = Pending;
        Task[][] cases = [null!, [], [null!], [s_done, s_faulted], [s_done, s_cancelled], [s_done, pending]];
        foreach (var tasks in cases)
        {
            Same(() => Task.WaitAll(tasks, 20), () => TaskPatches.WaitAll(tasks, 20));
            Same(() => Task.WaitAny(tasks, 20), () => TaskPatches.WaitAny(tasks, 20));
            Same(() => Task.WaitAll(tasks, TimeSpan.FromMilliseconds(20)), () => TaskPatches.WaitAll(tasks, TimeSpan.FromMilliseconds(20)));
            Same(() => Task.WaitAny(tasks, TimeSpan.FromMilliseconds(20)), () => TaskPatches.WaitAny(tasks, TimeSpan.FromMilliseconds(20)));
            Same(() => Task.WaitAll(tasks, 20, s_cancelling), () => TaskPatches.WaitAll(tasks, 20, s_cancelling));
            Same(() => Task.WaitAny(tasks, 20, s_cancelling), () => TaskPatches.WaitAny(tasks, 20, s_cancelling));
        }

        Task[] done = [s_done, s_faulted];
        Same(() => Task.WaitAll(done), () => TaskPatches.WaitAll(done));
        Same(() => Task.WaitAll(done.AsSpan()), () => TaskPatches.WaitAll(done.AsSpan()));
        Same(() => Task.WaitAll(done.AsEnumerable()), () => TaskPatches.WaitAll(done.AsEnumerable()));
        Same(() => Task.WaitAll([s_done], CancellationToken.None), () => TaskPatches.WaitAll([s_done], CancellationToken.None));
        Same(() => Task.WaitAny(done), () => TaskPatches.WaitAny(done));
        Same(() => Task.WaitAny([pending], s_cancelling), () => TaskPatches.WaitAny([pending], s_cancelling));
        Same(() => Task.WaitAll([pending], -2), () => TaskPatches.WaitAll([pending], -2));
        Same(() => Task.WaitAny([pending], -2), () => TaskPatches.WaitAny([pending], -2));
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AwaitersMatchTheOriginals(bool inGreenlet) => Parity.Run(inGreenlet, () =>
    {
        foreach (var task in new[] { (Task<int>)s_faulted, s_cancelled, s_done })
        {
            Same(() => ((Task)task).GetAwaiter().GetResult(), () =>
            {
                var awaiter = ((Task)task).GetAwaiter();
                AwaiterPatches.GetResult(ref awaiter);
            });
            Same(() => task.GetAwaiter().GetResult(), () =>
            {
                var awaiter = task.GetAwaiter();
                return AwaiterPatches.GetResult(ref awaiter);
            });
            Same(() => new ValueTask(task).GetAwaiter().GetResult(), () =>
            {
                var awaiter = new ValueTask(task).GetAwaiter();
                AwaiterPatches.GetResult(ref awaiter);
            });
            Same(() => new ValueTask<int>(task).GetAwaiter().GetResult(), () =>
            {
                var awaiter = new ValueTask<int>(task).GetAwaiter();
                return AwaiterPatches.GetResult(ref awaiter);
            });
            Same(() => new ValueTask<int>(task).Result, () =>
            {
                var value = new ValueTask<int>(task);
                return AwaiterPatches.Result(ref value);
            });
        }

        Same(() => default(TaskAwaiter).GetResult(), () =>
        {
            var awaiter = default(TaskAwaiter);
            AwaiterPatches.GetResult(ref awaiter);
        });
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SlimPrimitivesMatchTheOriginals(bool inGreenlet) => Parity.Run(inGreenlet, () =>
    {
        foreach (var count in new[] { 0, 1 })
        {
            Same(() => new SemaphoreSlim(count).Wait(20), () => SemaphoreSlimPatches.Wait(new SemaphoreSlim(count), 20));
            Same(() => new SemaphoreSlim(count).Wait(TimeSpan.FromMilliseconds(20)), () => SemaphoreSlimPatches.Wait(new SemaphoreSlim(count), TimeSpan.FromMilliseconds(20)));
            Same(() => new SemaphoreSlim(count).Wait(s_cancelling), () => SemaphoreSlimPatches.Wait(new SemaphoreSlim(count), s_cancelling));
            Same(() => new SemaphoreSlim(count).Wait(-2), () => SemaphoreSlimPatches.Wait(new SemaphoreSlim(count), -2));
            Same(() => new SemaphoreSlim(count).Wait(20_000, new CancellationTokenSource(10).Token), () => SemaphoreSlimPatches.Wait(new SemaphoreSlim(count), 20_000, new CancellationTokenSource(10).Token));
            Same(() => Disposed(new SemaphoreSlim(count)).Wait(0), () => SemaphoreSlimPatches.Wait(Disposed(new SemaphoreSlim(count)), 0));

            var set = count == 1;
            Same(() => new ManualResetEventSlim(set).Wait(20), () => ManualResetEventSlimPatches.Wait(new ManualResetEventSlim(set), 20));
            Same(() => new ManualResetEventSlim(set).Wait(TimeSpan.FromDays(30)), () => ManualResetEventSlimPatches.Wait(new ManualResetEventSlim(set), TimeSpan.FromDays(30)));
            Same(() => new ManualResetEventSlim(set).Wait(s_cancelling), () => ManualResetEventSlimPatches.Wait(new ManualResetEventSlim(set), s_cancelling));
            Same(() => new ManualResetEventSlim(set).Wait(20_000, new CancellationTokenSource(10).Token), () => ManualResetEventSlimPatches.Wait(new ManualResetEventSlim(set), 20_000, new CancellationTokenSource(10).Token));
            Same(() => Disposed(new ManualResetEventSlim(set)).Wait(), () => ManualResetEventSlimPatches.Wait(Disposed(new ManualResetEventSlim(set))));
            Same(() => SetAndRead(new ManualResetEventSlim(set), e => e.Set()), () => SetAndRead(new ManualResetEventSlim(set), ManualResetEventSlimPatches.Set));
            Same(() => Disposed(new ManualResetEventSlim(set)).Set(), () => ManualResetEventSlimPatches.Set(Disposed(new ManualResetEventSlim(set))));

            Same(() => new CountdownEvent(1 - count).Wait(20), () => CountdownEventPatches.Wait(new CountdownEvent(1 - count), 20));
            Same(() => new CountdownEvent(1 - count).Wait(-2), () => CountdownEventPatches.Wait(new CountdownEvent(1 - count), -2));
            Same(() => new CountdownEvent(1 - count).Wait(s_cancelling), () => CountdownEventPatches.Wait(new CountdownEvent(1 - count), s_cancelling));
            Same(() => Disposed(new CountdownEvent(1 - count)).Wait(), () => CountdownEventPatches.Wait(Disposed(new CountdownEvent(1 - count))));

            var participants = count + 1;
            Same(() => new Barrier(participants).SignalAndWait(20), () => BarrierPatches.SignalAndWait(new Barrier(participants), 20));
            Same(() => new Barrier(participants).SignalAndWait(-2), () => BarrierPatches.SignalAndWait(new Barrier(participants), -2));
            Same(() => new Barrier(participants).SignalAndWait(s_cancelling), () => BarrierPatches.SignalAndWait(new Barrier(participants), s_cancelling));
            Same(() => new Barrier(participants).SignalAndWait(TimeSpan.FromMilliseconds(20), CancellationToken.None), () => BarrierPatches.SignalAndWait(new Barrier(participants), TimeSpan.FromMilliseconds(20), CancellationToken.None));
            Same(() => Disposed(new Barrier(participants)).SignalAndWait(), () => BarrierPatches.SignalAndWait(Disposed(new Barrier(participants))));
        }
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WaitHandlesAndThreadJoinMatchTheOriginals(bool inGreenlet) => Parity.Run(inGreenlet, () =>
    {
        foreach (var signalled in new[] { false, true })
        {
            Func<WaitHandle>[] kinds =
            [
                () => new ManualResetEvent(signalled), () => new AutoResetEvent(signalled), () => new Semaphore(signalled ? 1 : 0, 1),
            ];
            foreach (var kind in kinds)
            {
                Same(() => kind().WaitOne(20), () => WaitHandlePatches.WaitOne(kind(), 20));
                Same(() => kind().WaitOne(TimeSpan.FromMilliseconds(20), false), () => WaitHandlePatches.WaitOne(kind(), TimeSpan.FromMilliseconds(20), false));
                Same(() => kind().WaitOne(-2), () => WaitHandlePatches.WaitOne(kind(), -2));
                Same(() => Disposed(kind()).WaitOne(), () => WaitHandlePatches.WaitOne(Disposed(kind())));
                Same(() => WaitHandle.WaitAll([kind(), kind()], 20), () => WaitHandlePatches.WaitAll([kind(), kind()], 20));
                Same(() => WaitHandle.WaitAny([kind(), kind()], TimeSpan.FromMilliseconds(20)), () => WaitHandlePatches.WaitAny([kind(), kind()], TimeSpan.FromMilliseconds(20)));
            }
        }

        var one = new ManualResetEvent(true);
        Same(() => WaitHandle.WaitAll([one, one]), () => WaitHandlePatches.WaitAll([one, one]));
        Same(() => WaitHandle.WaitAll(null!), () => WaitHandlePatches.WaitAll(null!));
        Same(() => WaitHandle.WaitAny([]), () => WaitHandlePatches.WaitAny([]));

        // A mutex taken through the replacement belongs to the calling thread, as with the original.
        using var mutex = new Mutex();
        Assert.True(WaitHandlePatches.WaitOne(mutex));
        mutex.ReleaseMutex();

        Same(() => new Thread(() => { }).Join(), () => ThreadPatches.Join(new Thread(() => { })));
        Same(() => Started().Join(-2), () => ThreadPatches.Join(Started(), -2));
        Same(() => Started().Join(TimeSpan.FromMilliseconds(20)), () => ThreadPatches.Join(Started(), TimeSpan.FromMilliseconds(20)));
        var finished = new Thread(() => { });
        finished.Start();
        Same(() => finished.Join(TimeSpan.FromSeconds(20)), () => ThreadPatches.Join(finished, 20_000));
    });

    private static T Disposed<T>(T disposable)
        where T : IDisposable
    {
        disposable.Dispose();
        return disposable;
    }

    /// <summary>A started thread that does not end before the test process does.</summary>
    private static Thread Started()
    {
        var thread = new Thread(() => Thread.Sleep(Timeout.Infinite)) { IsBackground = true };
        thread.Start();
        return thread;
    }

    private static void Same<T>(Func<T> original, Func<T> replacement) => Parity.SameOutcome(original, replacement);

    private static bool SetAndRead(ManualResetEventSlim @event, Action<ManualResetEventSlim> set)
    {
        set(@event);
        return @event.IsSet && @event.Wait(0);
    }

    private static void Same(Action original, Action replacement) =>
        Parity.SameOutcome(() => { original(); return 0; }, () => { replacement(); return 0; });
}
