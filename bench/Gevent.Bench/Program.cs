using System.Globalization;
using Gevent.Bench;
using Gevent.Bench.AspNet;
using Gevent.Bench.Load;
using Gevent.Bench.Scale;
using Gevent.Bench.Soak;

const string usage = """
    usage: Gevent.Bench <command>
    (every command but serve, echo-load, soak and micro --json also writes its results to docs/data/COMMAND.json)
      micro [--json]   gevent_micro.py's workloads on Gevent for .NET (thread-backed and stackless), beside
                       Python gevent, threads and async/await (--json: only thread-backed Gevent for .NET, as
                       one JSON object with gevent's keys)
      micro --stackless --json   the same for stackless greenlets (hand-woven bodies) only
      micro --woven    spawn + join, switch, queue ping-pong and event wake-up from woven code (bench/Gevent.Bench.Woven,
                       woven with resumable frames) beside the hand-woven stackless bodies, tier 1 and Python gevent
      scale --woven [COUNT]   100,000 and COUNT (default 1,000,000; 100,000 to 2,000,000) sleeping greenlets
                       spawned from woven code: bytes each, time to spawn, kill and wake them all, GC pauses while
                       they are parked; beside tier 1 (1,000 and 10,000) and Python gevent
      hubs-switch [HUBS]   stackless switches on 1 hub, then on HUBS hubs at once (default: one per CPU), µs per
                       switch per hub: what the hubs share on every switch shows as the difference
      baton            the baton candidates' switch cost (futex, Monitor, ManualResetEventSlim, SemaphoreSlim)
      pools            pool map overhead per item and thread-pool apply round trip, beside Python gevent
      echo-rtt         loopback echo round trip: cooperative sockets vs blocking threads vs async/await
      http [SECONDS]   wrk at 100 and 1,000 connections against each "Hello, World!" server (needs wrk)
      echo [SECONDS [CONNECTIONS...]]   1,000 / 5,000 / 10,000 (or the counts given, each 1 to 10,000) held echo
                       connections against each echo server
      aspnet [--quick] [--seconds S] [--repeats N]   wrk at 1,000 connections against blocking
                       ASP.NET Core handlers: plain Kestrel, Kestrel with await, and the app patched onto greenlets
                       (needs wrk and PostgreSQL; --quick: one 3 s round, a smoke run)
      serve KIND PORT [SECONDS]
                       one server under load, until killed (used by http and echo) or for SECONDS, then a
                       normal exit (so that a startup hook such as Gevent.PinReport writes its report)
      echo-load PORT CONNECTIONS SECONDS   the echo load generator (used by echo)
      soak MINUTES [http|echo|all]   HttpHello and/or Echo under load and hostile clients (slowloris, slow
                       bodies, resets, half-closes, garbage, 10,000 idle connections) with crash dumps on; checks
                       they stay alive and return to their baseline (results in soak-results/; needs wrk for http)
    """;

switch (args)
{
    case ["micro"]:
        Micro.RunTable();
        return 0;
    case ["micro", "--json"]:
        Micro.RunJson();
        return 0;
    case ["micro", "--stackless", "--json"]:
        Micro.RunStacklessJson();
        return 0;
    case ["micro", "--woven"]:
        return WovenComparison.Run();
    case ["scale", .. var rest]:
        return ScaleBench.Run(rest);
    case ["hubs-switch"]:
        return MultiHubSwitchBench.Run(Environment.ProcessorCount);
    case ["hubs-switch", var hubs] when int.TryParse(hubs, CultureInfo.InvariantCulture, out var h) && h is > 0 and <= 64:
        return MultiHubSwitchBench.Run(h);
    case ["baton"]:
        return TimingReport.Run("baton", BatonBench.Run(), "µs/switch");
    case ["pools"]:
        return PoolsBench.Run();
    case ["echo-rtt"]:
        return TimingReport.Run("echo-rtt", EchoBench.Run(), "µs/round trip");
    case ["http"]:
        return HttpLoadBench.Run(TimeSpan.FromSeconds(10));
    case ["http", var seconds] when int.TryParse(seconds, CultureInfo.InvariantCulture, out var s) && s > 0:
        return HttpLoadBench.Run(TimeSpan.FromSeconds(s));
    case ["echo"]:
        return EchoLoadBench.Run(TimeSpan.FromSeconds(10), EchoLoadBench.DefaultConnections);
    case ["echo", var seconds, .. var counts] when int.TryParse(seconds, CultureInfo.InvariantCulture, out var s) && s > 0
        && counts.All(c => int.TryParse(c, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 10_000):
        return EchoLoadBench.Run(TimeSpan.FromSeconds(s), counts is [] ? EchoLoadBench.DefaultConnections : [.. counts.Select(c => int.Parse(c, CultureInfo.InvariantCulture))]);
    case ["aspnet", .. var rest]:
        return AspNetBench.Run(rest);
    case ["serve", var kind, var port] when int.TryParse(port, CultureInfo.InvariantCulture, out var p):
        return ServeCommand.Run(kind, p, lifetime: null);
    case ["serve", var kind, var port, var seconds] when int.TryParse(port, CultureInfo.InvariantCulture, out var p) && int.TryParse(seconds, CultureInfo.InvariantCulture, out var s) && s > 0:
        return ServeCommand.Run(kind, p, TimeSpan.FromSeconds(s));
    case ["echo-load", var port, var connections, var seconds]
        when int.TryParse(port, CultureInfo.InvariantCulture, out var p) && int.TryParse(connections, CultureInfo.InvariantCulture, out var n) && int.TryParse(seconds, CultureInfo.InvariantCulture, out var s):
        return EchoLoadGenerator.Run(p, n, TimeSpan.FromSeconds(s));
    case ["soak", var minutes, .. var which] when double.TryParse(minutes, CultureInfo.InvariantCulture, out var m) && m > 0 && which is [] or ["http" or "echo" or "all"]:
        return SoakCommand.Run(m, which is [var target] ? target : "all");
    default:
        Console.Error.WriteLine(usage);
        return 2;
}
