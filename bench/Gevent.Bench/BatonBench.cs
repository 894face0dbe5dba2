using System.Diagnostics;
using Gevent.Greenlets.Threads;

namespace Gevent.Bench;

/// <summary>
/// Ping-pong between two threads with each candidate baton primitive, with and without both
/// threads pinned to one CPU. One switch = half a round trip. This is what chose the hub's baton.
/// </summary>
internal static class BatonBench
{
    private const int Rounds = 20_000;

    public static IReadOnlyList<(string Name, double SwitchUs)> Run()
    {
        var results = new List<(string, double)>();
        foreach (var pinned in new[] { true, false })
        {
            var where = pinned ? "one CPU" : "free";
            if (OperatingSystem.IsLinux())
            {
                results.Add(($"futex, {where}", Measure(() => new FutexParker(), pinned)));
            }

            results.Add(($"Monitor Wait/Pulse, {where}", Measure(() => new MonitorParker(), pinned)));
            results.Add(($"ManualResetEventSlim, {where}", Measure(() => new SlimEventParker(), pinned)));
            results.Add(($"SemaphoreSlim, {where}", Measure(() => new SemaphoreParker(), pinned)));
        }

        return results;
    }

    private static double Measure(Func<ThreadParker> create, bool pinned)
    {
        var best = double.MaxValue;
        for (var trial = 0; trial < 3; trial++)
        {
            using var a = create();
            using var b = create();
            var cpu = CpuAffinity.Supported ? CpuAffinity.AllowedCpus[0] : -1;
            var other = new Thread(() =>
            {
                if (pinned)
                {
                    CpuAffinity.PinCurrentThread(cpu);
                }

                for (var i = 0; i < Rounds; i++)
                {
                    b.Park();
                    a.Unpark();
                }
            }, 256 * 1024);
            var result = 0.0;
            var main = new Thread(() =>
            {
                if (pinned)
                {
                    CpuAffinity.PinCurrentThread(cpu);
                }

                var sw = Stopwatch.StartNew();
                for (var i = 0; i < Rounds; i++)
                {
                    b.Unpark();
                    a.Park();
                }

                result = sw.Elapsed.TotalMicroseconds / (Rounds * 2);
            });
            other.Start();
            main.Start();
            main.Join();
            other.Join();
            best = Math.Min(best, result);
        }

        return best;
    }

    private sealed class SlimEventParker : ThreadParker
    {
        private readonly ManualResetEventSlim _event = new(false);

        public override void Park()
        {
            _event.Wait();
            _event.Reset();
        }

        public override bool Park(TimeSpan timeout)
        {
            if (!_event.Wait(timeout))
            {
                return false;
            }

            _event.Reset();
            return true;
        }

        public override void Unpark() => _event.Set();

        public override void Dispose() => _event.Dispose();
    }

    private sealed class SemaphoreParker : ThreadParker
    {
        private readonly SemaphoreSlim _semaphore = new(0);

        public override void Park() => _semaphore.Wait();

        public override bool Park(TimeSpan timeout) => _semaphore.Wait(timeout);

        public override void Unpark() => _semaphore.Release();

        public override void Dispose() => _semaphore.Dispose();
    }
}
