using Gevent;

namespace Gevent.Samples;

/// <summary>
/// The samples' <c>--stats</c> flag: a line <c>stats: greenlets=N</c> on standard output once a second,
/// so a load test (<c>Gevent.Bench soak</c>) can tell from outside whether connections' greenlets end.
/// A plain background thread, not a greenlet: it reads a counter and must not take turns with the server.
/// </summary>
internal static class StatsReporter
{
    public static void Start() =>
        new Thread(() =>
        {
            while (true)
            {
                Console.WriteLine($"stats: greenlets={Greenlet.LiveCount}");
                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
        }) { IsBackground = true, Name = "stats reporter" }.Start();
}
