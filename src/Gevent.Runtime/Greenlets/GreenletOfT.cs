using System.Diagnostics.CodeAnalysis;

namespace Gevent;

/// <summary>A greenlet that computes a value of type <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The type of the result.</typeparam>
public sealed class Greenlet<T> : Greenlet
{
    private readonly Func<T> _func;
    private T? _value;

    /// <summary>Creates an unstarted greenlet of the current hub that will compute <paramref name="func"/>.</summary>
    public Greenlet(Func<T> func)
        : base(Hub.Current)
    {
        ArgumentNullException.ThrowIfNull(func);
        _func = func;
    }

    /// <summary>The result once the greenlet ended successfully; default before then, after a failure, or when killed.</summary>
    [MaybeNull]
    public T Value => _value;

    /// <summary>
    /// Waits for the greenlet to end (at most <paramref name="timeout"/>), then returns its value, or
    /// re-throws its exception with the original stack trace. A killed greenlet gives default.
    /// </summary>
    /// <exception cref="GreenTimeoutException"><paramref name="timeout"/> passed first.</exception>
    public new T Get(TimeSpan? timeout = null)
    {
        WaitForResult(timeout);
        return _value!;
    }

    /// <summary>
    /// Makes <paramref name="result"/> a link target: when this greenlet dies (at once if it is dead) it
    /// is completed with the value, or with the exception (a killed greenlet gives default). The link
    /// runs inline in the loop, since completing a result never blocks.
    /// </summary>
    public void Link(AsyncResult<T> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Hub.VerifyAccess(this);
        AddRawLink(static (greenlet, state) => ((AsyncResult<T>)state!).SetFrom(greenlet, ((Greenlet<T>)greenlet)._value!), result);
    }

    private protected override void Run() => _value = _func();
}
