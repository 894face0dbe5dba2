namespace Gevent.Patches;

/// <summary>
/// The replacements' one way of offloading (ARCHITECTURE §6, strategy 3): in a greenlet, run the blocking
/// original on the hub's <see cref="Hub.ThreadPool"/> and park until it returns; elsewhere run it here.
/// Its exception is re-thrown as itself. A kill or timeout stops the wait, not the call: the pool thread
/// finishes it and the result is dropped, as in gevent.
/// </summary>
internal static class Offload
{
    public static T Run<T>(Func<T> blocking) =>
        Hub.CooperativeGreenlet is { } current ? current.Hub.ThreadPool.Apply(blocking) : blocking();

    public static void Run(Action blocking)
    {
        if (Hub.CooperativeGreenlet is { } current)
        {
            current.Hub.ThreadPool.Apply(blocking);
        }
        else
        {
            blocking();
        }
    }
}
