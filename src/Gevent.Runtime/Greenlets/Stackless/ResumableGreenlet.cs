using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;

namespace Gevent.CompilerServices;

/// <summary>
/// Spawns greenlets whose body is a <see cref="ResumableAttribute"/> method: such a greenlet runs stackless,
/// on its hub's carrier thread, with no thread of its own. Woven code calls these where it would call
/// <see cref="Greenlet.Spawn(Action)"/>, <see cref="Greenlet.SpawnLater(TimeSpan, Action)"/>, <see cref="Group.Spawn(Action)"/>
/// or a greenlet's constructor: the overloads without <c>Stackless</c> where the body is only known at run time (a
/// body without the mark gets a thread, as it would there), the <c>…Stackless</c> ones where the weaver saw the
/// body's method and knows it is resumable.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ResumableGreenlet
{
    private static readonly ConcurrentDictionary<MethodInfo, bool> s_resumable = new();

    /// <summary>Creates and starts a greenlet running <paramref name="body"/>, stackless if it is resumable.</summary>
    public static Greenlet Spawn(Action body) => Started(Create(body));

    /// <summary>Creates and starts a greenlet computing <paramref name="body"/>, stackless if it is resumable.</summary>
    public static Greenlet<T> Spawn<T>(Func<T> body) => Started(Create(body));

    /// <summary>Creates and starts a stackless greenlet running <paramref name="body"/>, a resumable method.</summary>
    public static Greenlet SpawnStackless(Action body) => Started(CreateStackless(body));

    /// <summary>Creates and starts a stackless greenlet computing <paramref name="body"/>, a resumable method.</summary>
    public static Greenlet<T> SpawnStackless<T>(Func<T> body) => Started(CreateStackless(body));

    /// <summary><see cref="Group.Spawn(Action)"/>, stackless if <paramref name="body"/> is resumable.</summary>
    public static Greenlet Spawn(Group group, Action body) => StartedIn(group, Create(body));

    /// <summary><see cref="Group.Spawn{T}(Func{T})"/>, stackless if <paramref name="body"/> is resumable.</summary>
    public static Greenlet<T> Spawn<T>(Group group, Func<T> body) => StartedIn(group, Create(body));

    /// <summary><see cref="Group.Spawn(Action)"/> of a resumable method: the member runs stackless.</summary>
    public static Greenlet SpawnStackless(Group group, Action body) => StartedIn(group, CreateStackless(body));

    /// <summary><see cref="Group.Spawn{T}(Func{T})"/> of a resumable method: the member runs stackless.</summary>
    public static Greenlet<T> SpawnStackless<T>(Group group, Func<T> body) => StartedIn(group, CreateStackless(body));

    /// <summary><see cref="Greenlet.SpawnLater(TimeSpan, Action)"/>, stackless if <paramref name="body"/> is resumable.</summary>
    public static Greenlet SpawnLater(TimeSpan delay, Action body) => StartedLater(Create(body), delay);

    /// <summary><see cref="Greenlet.SpawnLater{T}(TimeSpan, Func{T})"/>, stackless if <paramref name="body"/> is resumable.</summary>
    public static Greenlet<T> SpawnLater<T>(TimeSpan delay, Func<T> body) => StartedLater(Create(body), delay);

    /// <summary><see cref="Greenlet.SpawnLater(TimeSpan, Action)"/> of a resumable method: the greenlet runs stackless.</summary>
    public static Greenlet SpawnLaterStackless(TimeSpan delay, Action body) => StartedLater(CreateStackless(body), delay);

    /// <summary><see cref="Greenlet.SpawnLater{T}(TimeSpan, Func{T})"/> of a resumable method: the greenlet runs stackless.</summary>
    public static Greenlet<T> SpawnLaterStackless<T>(TimeSpan delay, Func<T> body) => StartedLater(CreateStackless(body), delay);

    /// <summary><c>new Greenlet(body)</c>, unstarted, stackless if <paramref name="body"/> is resumable.</summary>
    public static Greenlet Create(Action body) => Prepared(new Greenlet(body), IsResumable(body));

    /// <summary><c>new Greenlet&lt;T&gt;(body)</c>, unstarted, stackless if <paramref name="body"/> is resumable.</summary>
    public static Greenlet<T> Create<T>(Func<T> body) => Prepared(new Greenlet<T>(body), IsResumable(body));

    /// <summary><c>new Greenlet(body)</c> of a resumable method, unstarted: however it is started, it runs stackless.</summary>
    public static Greenlet CreateStackless(Action body) => Prepared(new Greenlet(body), stackless: true);

    /// <summary><c>new Greenlet&lt;T&gt;(body)</c> of a resumable method, unstarted: however it is started, it runs stackless.</summary>
    public static Greenlet<T> CreateStackless<T>(Func<T> body) => Prepared(new Greenlet<T>(body), stackless: true);

    private static TGreenlet Prepared<TGreenlet>(TGreenlet greenlet, bool stackless)
        where TGreenlet : Greenlet
    {
        if (stackless)
        {
            greenlet.MakeStackless();
        }

        return greenlet;
    }

    private static TGreenlet Started<TGreenlet>(TGreenlet greenlet)
        where TGreenlet : Greenlet
    {
        greenlet.Start();
        return greenlet;
    }

    private static TGreenlet StartedLater<TGreenlet>(TGreenlet greenlet, TimeSpan delay)
        where TGreenlet : Greenlet
    {
        greenlet.StartLater(delay);
        return greenlet;
    }

    // A null group throws NullReferenceException here, as the woven callvirt on it did.
    private static TGreenlet StartedIn<TGreenlet>(Group group, TGreenlet greenlet)
        where TGreenlet : Greenlet
    {
        group.Start(greenlet);
        return greenlet;
    }

    /// <summary>Whether <paramref name="body"/>'s method carries <see cref="ResumableAttribute"/>.</summary>
    /// <remarks>Reading the mark costs reflection: once per method, and only on this path, not on Greenlet.Spawn's.</remarks>
    internal static bool IsResumable(Delegate body) =>
        s_resumable.GetOrAdd(body.Method, static method => method.IsDefined(typeof(ResumableAttribute), inherit: false));
}
