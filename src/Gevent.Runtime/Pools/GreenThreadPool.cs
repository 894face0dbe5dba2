namespace Gevent;

/// <summary>
/// A hub's pool of OS threads (gevent's <c>threadpool.ThreadPool</c>, as <see cref="Hub.ThreadPool"/>):
/// work that would block or hog the hub runs on a thread, while the greenlet that waits for its
/// <see cref="AsyncResult{T}"/> parks and the hub keeps serving the others. Threads start on demand,
/// up to <see cref="Size"/>, and exit after being idle a while. Only the hub's greenlets may use it.
/// </summary>
public sealed class GreenThreadPool
{
    private readonly Hub _hub;
    private readonly Action<Thread> _startThread;
    private readonly object _gate = new();
    private readonly Queue<Job> _pending = new();
    private int _threads;
    private int _idle;

    // startThread starts a new pool thread; tests pass one that fails, as Thread.Start can (out of memory, ThreadStartException).
    internal GreenThreadPool(Hub hub, int size, Action<Thread>? startThread = null)
    {
        _hub = hub;
        Size = size;
        _startThread = startThread ?? (static thread => thread.Start());
    }

    /// <summary>The most threads running work at once (<c>GEVENT_THREADPOOL_SIZE</c>).</summary>
    public int Size { get; }

    /// <summary>The threads alive now, busy or idle.</summary>
    public int ThreadCount
    {
        get
        {
            lock (_gate)
            {
                return _threads;
            }
        }
    }

    /// <summary>How long a thread waits for work before it exits.</summary>
    internal TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Jobs waiting for a free pool thread; any thread may read it (for metrics).</summary>
    internal int QueueLength
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="func"/> on a pool thread; the returned result completes, in the hub, with its
    /// value or exception. While work is outstanding the hub does not consider itself idle.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from outside the hub's greenlets.</exception>
    public AsyncResult<T> Spawn<T>(Func<T> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        _hub.VerifyAccess(this);
        var result = new AsyncResult<T>(_hub);
        _hub.Loop.AddAsyncRef();
        try
        {
            Enqueue(new Job<T>(_hub, func, result));
        }
        catch
        {
            // Not queued: no completion will post back to release the reference.
            _hub.Loop.ReleaseAsyncRef();
            throw;
        }

        return result;
    }

    /// <summary>Runs <paramref name="func"/> on a pool thread and waits, parking only this greenlet, for its result (re-throwing its exception).</summary>
    public T Apply<T>(Func<T> func) => Spawn(func).Get();

    /// <summary>Runs <paramref name="action"/> on a pool thread and waits, parking only this greenlet, for it to finish.</summary>
    public void Apply(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Apply(() =>
        {
            action();
            return true;
        });
    }

    /// <summary>Runs <paramref name="func"/> for every item on pool threads and returns the results in input order, re-throwing the first failure in that order.</summary>
    public IReadOnlyList<TResult> Map<T, TResult>(IEnumerable<T> items, Func<T, TResult> func)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(func);
        var results = items.Select(item => Spawn(() => func(item))).ToList();
        return results.Select(result => result.Get()).ToList();
    }

    private void Enqueue(Job job)
    {
        lock (_gate)
        {
            _pending.Enqueue(job);
            Monitor.Pulse(_gate);
            if (_pending.Count <= _idle || _threads >= Size)
            {
                return;
            }

            _threads++;
        }

        try
        {
            _startThread(new Thread(Work) { IsBackground = true, Name = $"gevent threadpool (hub {_hub.Id})" });
        }
        catch
        {
            // Out of memory, or ThreadStartException: uncounted, or the pool would believe itself full for good.
            // The job goes too unless a running thread already took it; the caller hears why.
            lock (_gate)
            {
                _threads--;
                if (!TryWithdraw(job))
                {
                    return;
                }
            }

            throw;
        }
    }

    /// <summary>Removes <paramref name="job"/> from the queue if no thread has taken it yet; call under the gate.</summary>
    private bool TryWithdraw(Job job)
    {
        var count = _pending.Count;
        var found = false;
        for (var i = 0; i < count; i++)
        {
            var pending = _pending.Dequeue();
            if (pending == job)
            {
                found = true;
            }
            else
            {
                _pending.Enqueue(pending);
            }
        }

        return found;
    }

    private void Work()
    {
        while (true)
        {
            Job job;
            lock (_gate)
            {
                while (_pending.Count == 0)
                {
                    _idle++;
                    var signalled = Monitor.Wait(_gate, IdleTimeout);
                    _idle--;
                    if (!signalled && _pending.Count == 0)
                    {
                        _threads--;
                        return;
                    }
                }

                job = _pending.Dequeue();
            }

            job.Run();
        }
    }

    /// <summary>One call queued for a pool thread.</summary>
    private abstract class Job
    {
        /// <summary>Runs on the pool thread; never throws.</summary>
        public abstract void Run();
    }

    private sealed class Job<T>(Hub hub, Func<T> func, AsyncResult<T> result) : Job
    {
        private static readonly Action<object?> s_complete = static state =>
        {
            var job = (Job<T>)state!;
            job._hub.Loop.ReleaseAsyncRef();
            if (job._failure is { } failure)
            {
                job._result.SetException(failure);
            }
            else
            {
                job._result.Set(job._value!);
            }
        };

        private readonly Hub _hub = hub;
        private readonly AsyncResult<T> _result = result;
        private T? _value;
        private Exception? _failure;

        public override void Run()
        {
            try
            {
                _value = func();
            }
            catch (Exception e)
            {
                _failure = e;
            }

            // Back to the hub: only its baton holder may complete the result.
            _hub.Loop.PostThreadSafe(s_complete, this);
        }
    }
}
