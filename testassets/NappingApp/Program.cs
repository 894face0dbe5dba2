using System.Diagnostics;
using Gevent;
using NappingLibrary;

// usage: NappingApp GREENLETS PERIOD_MS — prints "elapsed_ms=N" once every greenlet has napped once.
var count = int.Parse(args[0]);
var period = int.Parse(args[1]);
var stopwatch = Stopwatch.StartNew();
Greenlet.JoinAll(Enumerable.Range(0, count).Select(_ => Greenlet.Spawn(() => Napper.Nap(period))).ToList());
Console.WriteLine($"elapsed_ms={stopwatch.ElapsedMilliseconds}");
