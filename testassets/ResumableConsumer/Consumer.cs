using Gevent;
using ResumableLibrary;

namespace ResumableConsumer;

/// <summary>Greenlets whose waits happen inside another assembly's methods.</summary>
public static class Consumer
{
    /// <summary>Twice <see cref="Pacer.SumSlowly"/>, logging around the call: the log shows what ran in which order.</summary>
    public static long Doubled(List<string> log, int count)
    {
        log.Add("before " + count);
        var sum = Pacer.SumSlowly(count);
        log.Add("after " + count);
        return 2 * sum;
    }

    /// <summary>Twice the sum, through an interface one of whose implementations is not rewritten, so the call is not linked.</summary>
    public static long DoubledThrough(ISummer summer, int count) => 2 * summer.Sum(count);

    /// <summary>A greenlet computing <see cref="Doubled"/>.</summary>
    public static Greenlet<long> SpawnDoubled(List<string> log, int count) => Greenlet.Spawn(() => Doubled(log, count));

    /// <summary>A greenlet over the library's own method, made in the library's assembly.</summary>
    public static Greenlet SpawnParker(List<string> log) => Greenlet.Spawn(() => Pacer.Park(log, "parked"));

    /// <summary>A greenlet over the library's method itself, a method group.</summary>
    public static Greenlet SpawnTicker() => Greenlet.Spawn(Pacer.Tick);
}
