namespace Gevent;

/// <summary>
/// The queue was shut down (<see cref="GreenQueue{T}.Shutdown"/>): a put after it, or a get once the
/// remaining items are drained (Python's <c>queue.ShutDown</c>).
/// </summary>
public sealed class QueueShutDownException : Exception
{
    /// <summary>Creates the exception with the default message.</summary>
    public QueueShutDownException()
        : base("The queue was shut down.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public QueueShutDownException(string message)
        : base(message)
    {
    }
}
