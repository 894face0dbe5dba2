namespace CatchAllLibrary;

/// <summary>
/// Blocking calls (a <see cref="Thread.Sleep(int)"/> stands for a socket read) behind the catch-alls that
/// drivers put around their I/O. Each returns the number of attempts it made when the wait completes.
/// </summary>
public static class Clients
{
    /// <summary>Wraps whatever the wait throws, keeping it as the inner exception (Npgsql's way).</summary>
    public static int Wrapping(int milliseconds)
    {
        try
        {
            Thread.Sleep(milliseconds);
            return 1;
        }
        catch (Exception e)
        {
            throw new ClientException("Exception while reading from stream", e);
        }
    }

    /// <summary>Replaces whatever the wait throws with its own exception, no inner exception (some Redis clients' way).</summary>
    public static int Replacing(int milliseconds)
    {
        try
        {
            Thread.Sleep(milliseconds);
            return 1;
        }
        catch (Exception e)
        {
            throw new ClientException($"Socket.Read error: {e.Message}");
        }
    }

    /// <summary>Swallows whatever the wait throws and retries, up to <paramref name="attempts"/> times, then gives up with its own exception.</summary>
    public static int Retrying(int milliseconds, int attempts)
    {
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            try
            {
                Thread.Sleep(milliseconds);
                return attempt;
            }
            catch (Exception)
            {
                // A resilient client tries again.
            }
        }

        throw new ClientException($"gave up after {attempts} attempts");
    }
}
