using Gevent.Bench;

const string Usage = """
    usage: Gevent.Bench <command>
      micro [--json]   gevent_micro.py's workloads on Gevent for .NET, beside Python gevent, threads and
                       async/await (--json: only Gevent for .NET, as one JSON object with gevent's keys)
      baton            the baton candidates' switch cost (futex, Monitor, ManualResetEventSlim, SemaphoreSlim)
    """;

switch (args)
{
    case ["micro"]:
        Micro.RunTable();
        return 0;
    case ["micro", "--json"]:
        Micro.RunJson();
        return 0;
    case ["baton"]:
        foreach (var (name, us) in BatonBench.Run())
        {
            Console.WriteLine($"{name,-34} {us,8:F2} µs/switch");
        }

        return 0;
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}
