using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Gevent;

/// <summary>
/// gevent's monitor thread: one thread per process that samples every hub and reports a greenlet that
/// holds the baton past <see cref="MaxBlockingTime"/> while other greenlets wait. Such code cannot be
/// interrupted (there is no blocking point to throw at); the report says where to look. Started by
/// <c>GEVENT_MONITOR_THREAD_ENABLE=true</c> (limit <c>GEVENT_MAX_BLOCKING_TIME</c>), or by <see cref="Start"/>.
/// </summary>
public sealed class HubMonitor
{
    private static readonly HubTaggingLogger s_log = GeventLogging.CreateLogger("Gevent.Monitor");

    private readonly ConditionalWeakTable<Hub, Watch> _watches = [];
    private readonly object _gate = new();
    private Thread? _thread;
    private bool _stopping;
    private bool _logReports;
    private long _reports;
    private volatile bool _capturesStacks;

    private HubMonitor()
    {
    }

    /// <summary>Raised on the monitor thread for every report. Handlers must be quick and thread-safe.</summary>
    public event EventHandler<BlockingReport>? BlockingDetected;

    /// <summary>True while the monitor thread runs.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _thread is not null;
            }
        }
    }

    /// <summary>How long a greenlet may hold the baton before it is reported.</summary>
    public TimeSpan MaxBlockingTime { get; private set; } = GeventConfig.DefaultMaxBlockingTime;

    /// <summary>Reports made so far.</summary>
    public long ReportCount => Interlocked.Read(ref _reports);

    internal static HubMonitor Instance { get; } = new();

    /// <summary>
    /// While the monitor runs, greenlets record where they were spawned and last resumed (a stack trace
    /// per switch: a diagnostic cost, like running under a profiler).
    /// </summary>
    internal bool CapturesStacks => _capturesStacks;

    /// <summary>
    /// Starts the monitor thread (or changes its limit if it runs). Reports are raised as
    /// <see cref="BlockingDetected"/> and, with <paramref name="logReports"/>, logged as warnings
    /// through <see cref="GeventLogging"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBlockingTime"/> is not positive.</exception>
    public void Start(TimeSpan? maxBlockingTime = null, bool logReports = true)
    {
        var limit = maxBlockingTime ?? MaxBlockingTime;
        if (limit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBlockingTime), limit, "The blocking limit must be positive.");
        }

        lock (_gate)
        {
            MaxBlockingTime = limit;
            _logReports = logReports;
            _capturesStacks = true;
            if (_thread is not null)
            {
                return;
            }

            _stopping = false;
            _thread = new Thread(Run) { IsBackground = true, Name = "gevent monitor" };
            _thread.Start();
        }
    }

    /// <summary>Stops the monitor thread; does nothing if it is not running.</summary>
    public void Stop()
    {
        Thread? thread;
        lock (_gate)
        {
            thread = _thread;
            _stopping = true;
            _capturesStacks = false;
            Monitor.PulseAll(_gate);
        }

        thread?.Join();
        lock (_gate)
        {
            if (_thread == thread)
            {
                _thread = null;
            }
        }
    }

    private void Run()
    {
        while (true)
        {
            lock (_gate)
            {
                // Sample several times per limit, so a report comes soon after the limit passes.
                var interval = TimeSpan.FromTicks(Math.Max(MaxBlockingTime.Ticks / 4, TimeSpan.TicksPerMillisecond * 5));
                if (_stopping || (Monitor.Wait(_gate, interval) && _stopping))
                {
                    return;
                }
            }

            SampleAll();
        }
    }

    // A frame of its own, so the snapshot does not stay on the monitor's stack (keeping hubs alive) while it waits.
    private void SampleAll()
    {
        foreach (var hub in HubRegistry.Snapshot())
        {
            // The monitor's thread is the runtime's: whatever fails in one sample (a race with the hub it reads,
            // a logger) is logged if possible and the monitor goes on; escaping, it would end the process.
            try
            {
                Sample(hub);
            }
            catch (Exception e)
            {
                TryLog(() => s_log.About(hub).LogError(e, "The monitor failed to sample {Hub}.", hub));
            }
        }
    }

    private void Sample(Hub hub)
    {
        var switches = hub.Switches;
        var now = Stopwatch.GetTimestamp();
        var watch = _watches.GetValue(hub, _ => new Watch(switches, now));
        if (switches != watch.Switches || hub.Loop.IsIdle)
        {
            watch.Switches = switches;
            watch.Since = now;
            return;
        }

        var blockedFor = Stopwatch.GetElapsedTime(watch.Since, now);
        if (blockedFor < MaxBlockingTime || watch.Reported == switches)
        {
            return;
        }

        // Holding the baton with nobody waiting for it harms no one (e.g. a main thread doing other work); a greenlet that
        // has ended holds it only while its thread hands it on, and a stall there is the OS's scheduling, not its code.
        if (hub.Running is not { } greenlet || greenlet.Dead || greenlet.Carrier?.Thread.IsAlive != true || (!hub.Loop.HasWaiters && hub.Live.Count <= 1))
        {
            return;
        }

        watch.Reported = switches;
        Report(new BlockingReport(hub, greenlet, blockedFor));
    }

    private void Report(BlockingReport report)
    {
        Interlocked.Increment(ref _reports);

        // Logged before the handlers run: one that acts on the report (ends the program, or a test that stops the
        // blocking greenlet and checks the log) finds it written, and a handler's failure is logged after it.
        if (_logReports)
        {
            TryLog(() => s_log.About(report.Hub).LogWarning("{Report}", report));
        }

        // Each handler on its own: one that fails keeps neither the others nor the monitor from going on.
        foreach (var handler in BlockingDetected?.GetInvocationList() ?? [])
        {
            try
            {
                ((EventHandler<BlockingReport>)handler)(this, report);
            }
            catch (Exception e)
            {
                // To the reported hub's error handler; a hub that is gone meanwhile drops it, so it is logged too.
                report.Hub.ReportErrorFromAnyThread(e);
                TryLog(() => s_log.About(report.Hub).LogError(e, "A BlockingDetected handler failed."));
            }
        }
    }

    // Written on the monitor's thread about one hub, so tagged with that hub rather than the (absent) calling one.
    private static void TryLog(Action log)
    {
        try
        {
            log();
        }
        catch (Exception)
        {
            // The program's logger failed (say, its sink is closed): there is nowhere left to report to.
        }
    }

    /// <summary>What the monitor last saw of one hub.</summary>
    private sealed class Watch(long switches, long since)
    {
        public long Switches { get; set; } = switches;

        public long Since { get; set; } = since;

        public long Reported { get; set; } = -1;
    }
}
