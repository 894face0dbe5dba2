using Gevent.AspNetCore.Io;
using Microsoft.AspNetCore.Http.Features;

namespace Gevent.AspNetCore.Scheduling;

/// <summary>
/// Moves each request onto a greenlet: waits for a free slot (<see cref="GeventServerOptions.MaxConcurrentRequests"/>),
/// makes the body streams cooperative, picks a hub, runs the pipeline there and ties the request's abort to its
/// greenlets. One per server; disposing it kills what is left on its hubs and ends their threads.
/// </summary>
internal sealed class RequestDispatcher : IDisposable
{
    private readonly GeventServerOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly Lazy<RequestHubs> _hubs;
    private int _disposed;

    public RequestDispatcher(GeventServerOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentRequests, 1, nameof(options.MaxConcurrentRequests));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.HubCount, 1, nameof(options.HubCount));
        _options = options;
        _slots = new SemaphoreSlim(options.MaxConcurrentRequests);
        _hubs = new Lazy<RequestHubs>(() => new RequestHubs(options.HubCount));
    }

    /// <summary>The hubs requests run on (started on first use).</summary>
    public IReadOnlyList<RequestHub> Hubs => _hubs.Value.All;

    /// <summary>
    /// Runs <paramref name="pipeline"/> for the request whose features are <paramref name="features"/> in a greenlet,
    /// and completes when the task it returns completes. A request aborted while it waits for a slot never runs.
    /// </summary>
    public async Task RunAsync(IFeatureCollection features, Func<Task> pipeline)
    {
        var aborted = features.Get<IHttpRequestLifetimeFeature>()?.RequestAborted ?? CancellationToken.None;
        try
        {
            await _slots.WaitAsync(aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return;
        }

        try
        {
            CooperativeBodies.Install(features, _options.AllowSynchronousIO);
            var request = new RequestGreenlets(_hubs.Value.Next(), ExecutionContext.Capture());
            using var abort = aborted.UnsafeRegister(static (state, token) => ((RequestGreenlets)state!).Abort(token), request);
            var pipelineTask = await request.StartAsync(pipeline).ConfigureAwait(false);

            // Usually in the greenlet that started the pipeline (see StartAsync). A pipeline still running ends in a later
            // greenlet, one of its await continuations: the server's code after it goes to the thread pool rather than there.
            await pipelineTask.ConfigureAwait(pipelineTask.IsCompleted ? ConfigureAwaitOptions.None : ConfigureAwaitOptions.ForceYielding);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_hubs.IsValueCreated)
        {
            _hubs.Value.Dispose();
        }

        _slots.Dispose();
    }
}
