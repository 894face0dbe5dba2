using System.Runtime.ExceptionServices;
using Gevent.Greenlets.Threads;
using Gevent.Patches;

namespace Gevent;

/// <summary>
/// A hub running on a thread of its own, for async or plain-thread code that wants to use greenlets:
/// <c>await host.SpawnAsync(() => …)</c> runs the function in a greenlet of the host's hub and
/// completes with its result. The host's thread is the hub's main greenlet; it keeps the loop alive
/// until <see cref="Dispose"/>, which ends the hub (<see cref="Gevent.Hub.Dispose"/>).
/// </summary>
public sealed class GreenletHost : IDisposable
{
    private readonly Thread _thread;
    private WakeToken? _mainWait;
    private int _disposed;
    private volatile bool _killGreenlets;

    /// <summary>Starts the host's thread and hub; returns once the hub is running.</summary>
    /// <param name="name">The thread's name, for debuggers and logs.</param>
    /// <exception cref="GeventConfigurationException">The hub could not start because a setting is invalid.</exception>
    public GreenletHost(string? name = null)
        : this(name, cpu: null)
    {
    }

    /// <summary>Starts the host with its hub on <paramref name="cpu"/> when hubs are pinned (from <see cref="CpuAffinity.ReserveHubCpus"/>; null: the next in turn).</summary>
    internal GreenletHost(string? name, int? cpu)
    {
        using var started = new ManualResetEventSlim();
        ExceptionDispatchInfo? startFailure = null;
        _thread = new Thread(() =>
        {
            try
            {
                Hub = Hub.CreateForCurrentThread(cpu);
            }
            catch (Exception e)
            {
                startFailure = ExceptionDispatchInfo.Capture(e);
                started.Set();
                return;
            }

            Run(started);
        })
        {
            IsBackground = true,
            Name = name ?? "gevent host",
        };
        _thread.Start();
        started.Wait();
        startFailure?.Throw();
    }

    /// <summary>The host's hub.</summary>
    public Hub Hub { get; private set; } = null!;

    /// <summary>
    /// Spawns a greenlet computing <paramref name="func"/> in the host's hub, from any thread; the task
    /// completes with its value, or fails with its exception (<see cref="ObjectDisposedException"/> when the call
    /// raced <see cref="Dispose"/> and the hub was already ending when it arrived).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The host was disposed.</exception>
    public Task<T> SpawnAsync<T>(Func<T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var spawned = new TaskCompletionSource<Task<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        Hub.Loop.RunCallbackThreadSafe(() =>
        {
            try
            {
                // Accepted just before the close, run by the disposing hub: a greenlet spawned now would be killed
                // before it ran, and the task would complete with a default value nobody computed.
                ObjectDisposedException.ThrowIf(!Hub.IsOpen, this);
                spawned.SetResult(Greenlet.Spawn(func).AsTask());
            }
            catch (Exception e)
            {
                spawned.SetException(e);
            }
        });
        return spawned.Task.Unwrap();
    }

    /// <summary>Spawns a greenlet running <paramref name="action"/> in the host's hub, from any thread; the task completes when it ends.</summary>
    /// <exception cref="ObjectDisposedException">The host was disposed.</exception>
    public Task SpawnAsync(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return SpawnAsync(() =>
        {
            action();
            return true;
        });
    }

    /// <summary>
    /// Stops the host: lets greenlets still running in it finish (kill them first if they may not),
    /// then disposes its hub, closing the loop, and ends its thread. Not callable from the host's own greenlets; from a
    /// greenlet of another hub only that greenlet waits (its hub goes on).
    /// A <see cref="SpawnAsync{T}"/> racing it either runs or throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose() => Stop();

    /// <summary>
    /// <see cref="Dispose"/>, but kills the greenlets still running instead of letting them finish: the hub's own
    /// disposal kills them at their blocking points, so one parked forever does not hold the host open.
    /// </summary>
    internal void DisposeKillingGreenlets()
    {
        _killGreenlets = true;
        Stop();
    }

    private void Stop()
    {
        if (Hub.CurrentGreenletOrNull?.Hub == Hub)
        {
            throw new InvalidOperationException("A GreenletHost cannot be disposed from one of its own greenlets: it would wait for itself.");
        }

        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Hub.Loop.RunCallbackThreadSafe(() => Hub.Wake(_mainWait!));

        // From a greenlet of another hub, a worker of that hub's pool joins, and only the greenlet waits for it.
        Offload.Run(_thread.Join);
    }

    private void Run(ManualResetEventSlim started)
    {
        var hub = Hub;
        _mainWait = new WakeToken(Hub.CurrentGreenlet);

        // Outside work may arrive at any time: the loop must not exit while the host is open.
        hub.Loop.AddAsyncRef();
        started.Set();
        try
        {
            hub.Block("GreenletHost: work from other threads");
            hub.Loop.ReleaseAsyncRef();
            if (!_killGreenlets)
            {
                Greenlet.Wait();
            }

            // A late RunCallbackThreadSafe (an await on one of our greenlets) now throws ObjectDisposedException:
            // the loop's descriptors are owned by handles that close them only after a wake-up in progress.
            hub.Dispose();
        }
        catch (Exception e)
        {
            // The host's thread is the runtime's: a failure escaping it would end the process.
            hub.ReportError(null, e);
        }
    }
}
