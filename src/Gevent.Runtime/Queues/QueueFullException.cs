namespace Gevent;

/// <summary>A put found no room: the queue was full and the wait was not allowed or timed out (gevent's <c>queue.Full</c>).</summary>
public sealed class QueueFullException : Exception
{
    /// <summary>Creates the exception with the default message.</summary>
    public QueueFullException()
        : base("The queue is full.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public QueueFullException(string message)
        : base(message)
    {
    }
}
