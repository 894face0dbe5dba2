using System.Runtime.ExceptionServices;

namespace Gevent.Bench;

/// <summary>
/// Runs greenlet code on a fresh thread, which becomes the main greenlet of its own hub. The hub pins
/// its threads to one CPU (GEVENT_HUB_AFFINITY) and threads inherit affinity, so keeping the hub off
/// the process's main thread leaves the thread and async/await baselines free to use both cores.
/// </summary>
internal static class HubThread
{
    public static T Run<T>(Func<T> body)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = body();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        }) { Name = "bench hub" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
