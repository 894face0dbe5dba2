namespace Gevent.Patches;

/// <summary>
/// The replacements' one way of offloading (docs/architecture.md, "The patch catalog", strategy 3): in a greenlet, run the blocking
/// original on the hub's <see cref="Hub.ThreadPool"/> and park until it returns; elsewhere run it here.
/// Its exception is re-thrown as itself. A kill or timeout stops the wait, not the call: the pool thread
/// finishes it and the result is dropped, as in gevent.
/// </summary>
internal static class Offload
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> s_gates = [];

    /// <summary>
    /// Like <see cref="Run{T}(Func{T})"/>, for an operation on <paramref name="target"/> (a stream, reader or
    /// writer the BCL does not make thread-safe): operations on one target run one at a time on the pool,
    /// because an interrupted one keeps running there after its greenlet has moved on. Outside a greenlet
    /// nothing is serialized: the call runs here, exactly as the original would.
    /// </summary>
    public static T Run<T>(object target, Func<T> blocking)
    {
        if (Hub.CooperativeGreenlet is not { } current)
        {
            return blocking();
        }

        var gate = s_gates.GetValue(target, static _ => new object());
        return current.Hub.ThreadPool.Apply(() =>
        {
            lock (gate)
            {
                return blocking();
            }
        });
    }

    /// <summary>Like <see cref="Run(Action)"/>, serialized per <paramref name="target"/> as <see cref="Run{T}(object, Func{T})"/>.</summary>
    public static void Run(object target, Action blocking) => Run(target, () =>
    {
        blocking();
        return true;
    });

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
