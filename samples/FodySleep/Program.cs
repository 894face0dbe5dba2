using System.Diagnostics;
using Gevent;

// Plain blocking code — Thread.Sleep, as any library would write it. Fody rewrote the call at build
// time, so inside greenlets the sleeps overlap: the batch takes about one period, not N.
const int count = 100;
var period = TimeSpan.FromMilliseconds(500);
var stopwatch = Stopwatch.StartNew();
var greenlets = Enumerable.Range(0, count).Select(_ => Greenlet.Spawn(() => Thread.Sleep(period))).ToList();
Greenlet.JoinAll(greenlets);
Console.WriteLine($"{count} greenlets each called Thread.Sleep({period.TotalMilliseconds} ms): {stopwatch.ElapsedMilliseconds} ms in all");

// Outside a greenlet (a plain thread) the woven call is the original, blocking sleep.
stopwatch.Restart();
var thread = new Thread(() => Thread.Sleep(period));
thread.Start();
thread.Join();
Console.WriteLine($"on a plain thread: {stopwatch.ElapsedMilliseconds} ms");
