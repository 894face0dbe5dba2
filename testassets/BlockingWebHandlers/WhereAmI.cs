using Gevent;

namespace BlockingWebHandlers;

/// <summary>Says where a handler runs: <c>greenlet:{hub id}</c>, or <c>thread</c> when not in a request greenlet.</summary>
public static class WhereAmI
{
    /// <summary>
    /// Describes the calling code's place. Outside a greenlet, <see cref="Greenlet.Current"/> makes the thread a hub's
    /// main greenlet, which is what is reported then.
    /// </summary>
    public static string Describe()
    {
        var current = Greenlet.Current;
        return current.IsMain ? "thread" : $"greenlet:{current.Hub.Id}";
    }
}
