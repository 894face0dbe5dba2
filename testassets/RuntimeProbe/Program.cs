using System.Diagnostics;
using Gevent;

// Scenarios tests run as a separate process, so they can set GEVENT_* variables (read once per
// process) and observe what a real program prints and how it exits.
switch (args.FirstOrDefault())
{
    case "limit":
        return SpawnUntilRefused();
    case "spin":
        return SpinWhileAnotherWaits();
    default:
        Console.Error.WriteLine("usage: RuntimeProbe limit|spin");
        return 2;
}

// Spawns sleeping greenlets until the runtime refuses one: the refusal must be an exception, not an abort.
static int SpawnUntilRefused()
{
    var sleepers = new List<Greenlet>();
    try
    {
        while (true)
        {
            sleepers.Add(Greenlet.Spawn(() => Greenlet.Sleep(Timeout.InfiniteTimeSpan)));
            if (sleepers.Count % 100 == 0)
            {
                Greenlet.Yield();
            }
        }
    }
    catch (GreenletLimitExceededException e)
    {
        Greenlet.Yield();
        Console.WriteLine($"alive: {sleepers.Count(g => g.Started && !g.Dead)}");
        Console.WriteLine($"refused: {e.Message}");
    }

    Greenlet.KillAll(sleepers);
    Console.WriteLine($"dead after KillAll: {sleepers.Count(g => g.Dead)}");
    return 0;
}

// A greenlet hogs the hub for 400 ms while another waits on a timer: the monitor, when enabled, reports it.
static int SpinWhileAnotherWaits()
{
    var waiter = Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(10)));
    var hog = Greenlet.Spawn(() =>
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromMilliseconds(400))
        {
            Thread.SpinWait(100);
        }
    });
    hog.Name = "probe hog";
    Greenlet.JoinAll([waiter, hog]);
    Console.WriteLine($"reports: {Hub.Monitor.ReportCount}");
    return 0;
}
