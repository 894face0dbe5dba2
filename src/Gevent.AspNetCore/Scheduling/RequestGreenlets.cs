namespace Gevent.AspNetCore.Scheduling;

/// <summary>
/// The greenlets one request runs in: the first runs the pipeline up to its first real <c>await</c>; each
/// continuation after it runs in a new greenlet of the same hub, posted there by the request's
/// <see cref="RequestSynchronizationContext"/>. Every one starts from the request's ExecutionContext and leaves
/// its thread as it found it, so AsyncLocal state (HttpContext, Activity, logging scopes) stays with its request.
/// </summary>
internal sealed class RequestGreenlets
{
    private readonly RequestHub _hub;
    private readonly ExecutionContext? _executionContext;
    private readonly RequestSynchronizationContext _synchronizationContext;

    public RequestGreenlets(RequestHub hub, ExecutionContext? executionContext)
    {
        _hub = hub;
        _executionContext = executionContext;
        _synchronizationContext = new RequestSynchronizationContext(this);
    }

    /// <summary>The request's greenlets running now; only the hub's greenlets and loop touch it.</summary>
    public HashSet<Greenlet> Live { get; } = [];

    /// <summary>
    /// Starts <paramref name="pipeline"/> in a greenlet; the outer task completes with the task the pipeline returned
    /// (failed if it threw before returning one). Its continuations run inline, in the greenlet, with no
    /// SynchronizationContext: a request that never awaited (a "Hello, World!", a handler that only blocks) then ends
    /// in the greenlet that ran it, where the server writes the response, with no hand-off back to the thread pool.
    /// </summary>
    public Task<Task> StartAsync(Func<Task> pipeline)
    {
        var started = new TaskCompletionSource<Task>();
        _hub.Spawn(this, static state =>
        {
            var (pipeline, started) = ((Func<Task>, TaskCompletionSource<Task>))state!;
            var task = Invoke(pipeline);
            var requestContext = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null);
            try
            {
                started.SetResult(task);
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(requestContext);
            }
        }, (pipeline, started));
        return started.Task;
    }

    /// <summary>Runs a continuation of the request in a new greenlet of its hub.</summary>
    public void Post(SendOrPostCallback work, object? state) => _hub.Spawn(this, work, state);

    /// <summary>
    /// Wakes the request's parked greenlets with an <see cref="OperationCanceledException"/>; one waiting for a task
    /// or for socket I/O is woken at its next other wait instead (see <see cref="RequestHub.Abort"/>).
    /// </summary>
    public void Abort(CancellationToken requestAborted) =>
        _hub.Abort(this, new OperationCanceledException("The request was aborted.", requestAborted));

    /// <summary>Runs <paramref name="work"/> on the calling thread as part of the request, then restores the thread's contexts.</summary>
    public void Run(SendOrPostCallback work, object? state)
    {
        if (_executionContext is null)
        {
            RunWithSynchronizationContext(work, state);
            return;
        }

        ExecutionContext.Run(_executionContext, static s =>
        {
            var (request, work, state) = ((RequestGreenlets, SendOrPostCallback, object?))s!;
            request.RunWithSynchronizationContext(work, state);
        }, (this, work, state));
    }

    private static Task Invoke(Func<Task> pipeline)
    {
        try
        {
            return pipeline();
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    private void RunWithSynchronizationContext(SendOrPostCallback work, object? state)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_synchronizationContext);
        try
        {
            work(state);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }
}
