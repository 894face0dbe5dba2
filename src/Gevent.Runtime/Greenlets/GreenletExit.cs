namespace Gevent;

/// <summary>
/// Thrown into a greenlet by <see cref="Greenlet.Kill"/> at its blocking point. A greenlet that
/// ends with it (uncaught) counts as successful, as in gevent.
/// </summary>
public class GreenletExit : Exception
{
    /// <summary>Creates the exception with the default message.</summary>
    public GreenletExit()
        : base("The greenlet was killed.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public GreenletExit(string message)
        : base(message)
    {
    }
}
