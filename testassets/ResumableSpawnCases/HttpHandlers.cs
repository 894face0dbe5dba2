using Gevent;
using Gevent.Servers;

namespace ResumableSpawnCases;

/// <summary>
/// <see cref="HttpServer"/> handlers in plain synchronous style. Woven with resumable frames they are resumable, and the
/// server links them: their naps suspend the connection's stackless greenlet without a thread. Unwoven, a nap pins it.
/// </summary>
/// <param name="log">What the handlers did, in order.</param>
public sealed class HttpHandlers(List<string> log)
{
    /// <summary>Naps, then answers the method and target, and echoes the target in a header.</summary>
    public void Napping(HttpRequest request, HttpResponse response)
    {
        Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
        response.Headers["X-Target"] = request.Target;
        response.Write(request.Method + " " + request.Target);
    }

    /// <summary>Naps for a minute, unless killed first; logs its finally block.</summary>
    public void NappingLong(HttpRequest request, HttpResponse response)
    {
        try
        {
            log.Add("napping " + request.Target);
            Greenlet.Sleep(TimeSpan.FromMinutes(1));
            response.Write("woke");
        }
        finally
        {
            log.Add("finally " + request.Target);
        }
    }
}
