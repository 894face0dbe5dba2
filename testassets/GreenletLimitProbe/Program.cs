using Gevent;

// Spawns sleeping greenlets until the runtime refuses one, as a separate process so tests can set
// GEVENT_* variables (read once per process) and check that the refusal is an exception, not an abort.
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
