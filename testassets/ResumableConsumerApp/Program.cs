using Gevent;
using ResumableConsumer;

// usage: ResumableConsumerApp COUNT — spawns Consumer.SpawnDoubled(COUNT), yields once, then prints what its greenlet
// was doing at that point (its run-info line, or "ended", and the log so far), its result, the whole log and the hub's pins.
var count = int.Parse(args[0]);
_ = Hub.Current;
var log = new List<string>();
var greenlet = Consumer.SpawnDoubled(log, count);
greenlet.Name = "doubled";
Greenlet.Yield();
// As compiled, the library's Thread.Yield does not give the hub back: the greenlet has ended and has no line.
var line = Hub.Current.FormatRunInfo().Split('\n').SingleOrDefault(l => l.TrimStart().StartsWith("+ doubled:", StringComparison.Ordinal)) ?? "ended";
var logged = string.Join(",", log);
var result = greenlet.Get();
var pins = Hub.Current.FormatRunInfo().Split('\n').Where(l => l.Contains("pins:", StringComparison.Ordinal)).Select(l => l.Trim());
Console.WriteLine($"at_first_yield={line.Trim()}");
Console.WriteLine($"logged_at_first_yield={logged}");
Console.WriteLine($"result={result}");
Console.WriteLine($"log={string.Join(",", log)}");
Console.WriteLine($"pins={string.Join(";", pins)}");
