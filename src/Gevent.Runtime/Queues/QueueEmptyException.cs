namespace Gevent;

/// <summary>A get found no item: the queue was empty and the wait was not allowed or timed out (gevent's <c>queue.Empty</c>).</summary>
public sealed class QueueEmptyException : Exception
{
    /// <summary>Creates the exception with the default message.</summary>
    public QueueEmptyException()
        : base("The queue is empty.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public QueueEmptyException(string message)
        : base(message)
    {
    }
}
