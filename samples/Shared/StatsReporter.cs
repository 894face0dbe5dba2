using Gevent;

namespace Gevent.Samples;

/// <summary>
/// The samples' <c>--stats</c> flag: for each line read on standard input, one line
/// <c>stats: greenlets=N heap=BYTES</c> on standard output, after a full garbage collection if the line
/// was <c>collect</c>. A load test (<c>Gevent.Bench soak</c>) asks, to tell from outside whether
/// connections' greenlets end and whether their memory comes back. A plain background thread, not a
/// greenlet: it reads a counter and must not take turns with the server.
/// </summary>
internal static class StatsReporter
{
    public static void Start() =>
        new Thread(() =>
        {
            while (Console.In.ReadLine() is { } request)
            {
                if (request == "collect")
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                }

                Console.WriteLine($"stats: greenlets={Greenlet.LiveCount} heap={GC.GetTotalMemory(forceFullCollection: false)}");
            }
        }) { IsBackground = true, Name = "stats reporter" }.Start();
}
