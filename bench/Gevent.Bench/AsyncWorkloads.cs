using System.Threading.Channels;

namespace Gevent.Bench;

/// <summary>
/// The micro workloads written the async/await way: <see cref="Task.Run(Func{Task})"/> per spawn,
/// <see cref="Task.Delay(int)"/>, <see cref="TaskCompletionSource"/> and <see cref="Channel"/> hand-overs,
/// on the default thread pool (both cores). The other baseline a greenlet replaces.
/// </summary>
internal sealed class AsyncWorkloads
{
    private const int SpawnCount = 10_000;

    // A pending task is a few hundred bytes of heap; gevent_micro.py's 100,000 makes that well resolved.
    private const int PendingCount = 100_000;

    private const int HandOvers = 100_000;

    public static FamilyResults Run()
    {
        var results = new FamilyResults("async/await");
        results.Set(MicroWorkload.BytesPerParked, MemoryProbe.BytesPerItem(PendingCount, ParkMany, MemoryProbe.Source.ManagedHeap), "managed heap per pending Task, at 100,000");
        results.Set(MicroWorkload.SpawnJoin, Measure.BestOf(SpawnCount, n => Wait(SpawnAndAwait(n, static () => Task.CompletedTask))), "Task.Run + await");
        results.Set(MicroWorkload.SpawnSleepJoin, Measure.BestOf(SpawnCount, n => Wait(SpawnAndAwait(n, static () => Task.Delay(1)))), "Task.Run + Task.Delay(1)");
        results.Set(MicroWorkload.Switch, Measure.BestOf(HandOvers, n => Wait(CompletionPingPong(n))), "TaskCompletionSource hand-over");
        results.Set(MicroWorkload.QueuePingPong, Measure.BestOf(HandOvers, n => Wait(ChannelPingPong(n))), "Channel");
        results.Set(MicroWorkload.EventWakeup, Measure.BestOf(SpawnCount, n => Wait(EventWakeup(n))), "Task.Run awaiting a TaskCompletionSource");
        return results;
    }

    // The benchmark's own thread blocks on the whole workload, never inside it, so no pool thread is held.
    private static void Wait(Task workload) => workload.GetAwaiter().GetResult();

    private static Task SpawnAndAwait(int count, Func<Task> body)
    {
        var tasks = new Task[count];
        for (var i = 0; i < count; i++)
        {
            tasks[i] = Task.Run(body);
        }

        return Task.WhenAll(tasks);
    }

    // Each side awaits a fresh completion the other completes; continuations run asynchronously so a
    // hand-over is a real scheduling of the other side, not a call on the same stack.
    private static Task CompletionPingPong(int switches)
    {
        var there = NewCompletion();
        var back = NewCompletion();

        async Task Side(bool first)
        {
            for (var i = 0; i < switches / 2; i++)
            {
                if (first)
                {
                    var reply = back = NewCompletion();
                    there.SetResult();
                    await reply.Task;
                }
                else
                {
                    await there.Task;
                    there = NewCompletion();
                    back.SetResult();
                }
            }
        }

        return Task.WhenAll(Task.Run(() => Side(first: true)), Task.Run(() => Side(first: false)));
    }

    private static Task ChannelPingPong(int messages)
    {
        var there = Channel.CreateUnbounded<int>();
        var back = Channel.CreateUnbounded<int>();

        async Task Side(Channel<int> send, Channel<int> receive, bool sendFirst)
        {
            for (var i = 0; i < messages / 2; i++)
            {
                if (sendFirst)
                {
                    await send.Writer.WriteAsync(i);
                    await receive.Reader.ReadAsync();
                }
                else
                {
                    await receive.Reader.ReadAsync();
                    await send.Writer.WriteAsync(i);
                }
            }
        }

        return Task.WhenAll(Task.Run(() => Side(there, back, sendFirst: true)), Task.Run(() => Side(back, there, sendFirst: false)));
    }

    // gevent_micro.py event_wakeup: a fresh event and waiter per op; the waiter is running before the set.
    private static async Task EventWakeup(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var signal = NewCompletion();
            var waiter = Task.Run(async () => await signal.Task);
            await Task.Yield();
            signal.SetResult();
            await waiter;
        }
    }

    private static Action ParkMany(int count)
    {
        var gate = NewCompletion();
        var pending = new Task[count];
        for (var i = 0; i < count; i++)
        {
            pending[i] = AwaitGate(gate.Task);
        }

        return () =>
        {
            gate.SetResult();
            Wait(Task.WhenAll(pending));
        };
    }

    // A real async method, so each pending task holds its own state-machine box, as a parked request would.
    private static async Task AwaitGate(Task gate) => await gate;

    private static TaskCompletionSource NewCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
