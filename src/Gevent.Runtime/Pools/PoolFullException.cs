namespace Gevent;

/// <summary>A <see cref="Pool"/> had no free slot for a greenlet, and the add was not allowed to wait or timed out.</summary>
public sealed class PoolFullException : Exception
{
    /// <summary>Creates the exception with the default message.</summary>
    public PoolFullException()
        : base("The pool is full.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public PoolFullException(string message)
        : base(message)
    {
    }
}
