using System.Diagnostics;
using Gevent;

// The runtime demo: N greenlets each block for one period in plain sequential code, and the
// whole batch finishes in about one period because blocking gives the hub to the others.
var count = 1000;
var period = TimeSpan.FromSeconds(1);
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--greenlets" when i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0:
            count = n;
            i++;
            break;
        case "--period-ms" when i + 1 < args.Length && int.TryParse(args[i + 1], out var ms) && ms >= 0:
            period = TimeSpan.FromMilliseconds(ms);
            i++;
            break;
        default:
            Console.Error.WriteLine($"unknown or invalid argument '{args[i]}'");
            Console.Error.WriteLine("usage: SleepingGreenlets [--greenlets N (default 1000)] [--period-ms MS (default 1000)]");
            return 2;
    }
}

var stopwatch = Stopwatch.StartNew();
var woke = 0;
var greenlets = Enumerable.Range(0, count).Select(_ => Greenlet.Spawn(() =>
{
    Greenlet.Sleep(period);
    woke++;
})).ToList();
Greenlet.JoinAll(greenlets);
var elapsed = stopwatch.Elapsed;

Console.WriteLine($"{woke} greenlets each slept {period.TotalSeconds:0.###} s; all done in {elapsed.TotalSeconds:0.000} s " +
                  $"(run one after another they would take {count * period.TotalSeconds:0} s). Loop: {Hub.Current.Loop.Backend}.");
return woke == count && elapsed < period * 3 ? 0 : 1;
