namespace Gevent.AspNetCore.Scheduling;

/// <summary>
/// The SynchronizationContext of a request's greenlets: an <c>await</c> in the request resumes in a new greenlet
/// of the request's hub, so blocking code after it still cooperates. A greenlet parked in <c>.Result</c> is never
/// the one resumed, which is how the classic ASP.NET deadlock is avoided.
/// </summary>
internal sealed class RequestSynchronizationContext(RequestGreenlets request) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        request.Post(d, state);
    }

    public override SynchronizationContext CreateCopy() => this;
}
