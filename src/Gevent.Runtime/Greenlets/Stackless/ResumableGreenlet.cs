using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;

namespace Gevent.CompilerServices;

/// <summary>
/// Spawns greenlets whose body is a <see cref="ResumableAttribute"/> method: such a greenlet runs stackless,
/// on its hub's carrier thread, with no thread of its own. Woven code calls these where it would call
/// <see cref="Greenlet.Spawn(Action)"/>; a body without the mark gets a thread as it would there.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ResumableGreenlet
{
    private static readonly ConcurrentDictionary<MethodInfo, bool> s_resumable = new();

    /// <summary>Creates and starts a greenlet running <paramref name="body"/>, stackless if it is resumable.</summary>
    public static Greenlet Spawn(Action body)
    {
        var greenlet = new Greenlet(body);
        Prepare(greenlet, body);
        greenlet.Start();
        return greenlet;
    }

    /// <summary>Creates and starts a greenlet computing <paramref name="body"/>, stackless if it is resumable.</summary>
    public static Greenlet<T> Spawn<T>(Func<T> body)
    {
        var greenlet = new Greenlet<T>(body);
        Prepare(greenlet, body);
        greenlet.Start();
        return greenlet;
    }

    private static void Prepare(Greenlet greenlet, Delegate body)
    {
        // Reading the mark costs reflection: once per method, and only on this path, not on Greenlet.Spawn's.
        if (s_resumable.GetOrAdd(body.Method, static method => method.IsDefined(typeof(ResumableAttribute), inherit: false)))
        {
            greenlet.MakeStackless();
        }
    }
}
