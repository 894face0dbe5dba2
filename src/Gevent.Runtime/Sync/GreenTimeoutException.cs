namespace Gevent;

/// <summary>
/// The exception a <see cref="GreenTimeout"/> throws into its greenlet when it expires (unless it was
/// given another). Catch it by identity: <c>catch (GreenTimeoutException e) when (e.Timeout == t)</c>.
/// </summary>
public sealed class GreenTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for <paramref name="timeout"/>.</summary>
    public GreenTimeoutException(GreenTimeout timeout)
        : base($"The operation timed out after {Format(timeout.After)}.")
    {
        Timeout = timeout;
    }

    /// <summary>
    /// Creates the exception for <paramref name="timeout"/>, which a library turned into
    /// <paramref name="libraryException"/> (wrapped or replaced).
    /// </summary>
    public GreenTimeoutException(GreenTimeout timeout, Exception libraryException)
        : base($"The operation timed out after {Format(timeout.After)}; the call then failed with {libraryException.GetType().Name}: {libraryException.Message}", libraryException)
    {
        Timeout = timeout;
    }

    /// <summary>The timeout that expired.</summary>
    public GreenTimeout Timeout { get; }

    private static string Format(TimeSpan after) =>
        after.TotalSeconds >= 1 ? $"{after.TotalSeconds:0.###} s" : $"{after.TotalMilliseconds:0.###} ms";
}
