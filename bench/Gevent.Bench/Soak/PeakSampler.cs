using Gevent.Bench.Data;
using Gevent.Bench.Load;

namespace Gevent.Bench.Soak;

/// <summary>Takes a <see cref="ServerSnapshot"/> and the load average once a second, on a thread of its own, keeping the peaks.</summary>
internal sealed class PeakSampler : IDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);

    private readonly ServerProcess _server;
    private readonly bool _askServer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly object _gate = new();
    private ServerSnapshot _peak;
    private double _peakLoadAverage;

    /// <param name="askServer">Whether the server answers <c>--stats</c> questions (the samples do; a plain web app does not).</param>
    public PeakSampler(ServerProcess server, ServerSnapshot first, bool askServer = true)
    {
        _server = server;
        _askServer = askServer;
        _peak = first;
        _peakLoadAverage = LoadAverage();
        _thread = new Thread(Sample) { IsBackground = true, Name = "soak sampler" };
        _thread.Start();
    }

    public ServerSnapshot Peak
    {
        get
        {
            lock (_gate)
            {
                return _peak;
            }
        }
    }

    public double PeakLoadAverage
    {
        get
        {
            lock (_gate)
            {
                return _peakLoadAverage;
            }
        }
    }

    /// <summary>The one-minute load average of the machine (<c>/proc/loadavg</c>).</summary>
    public static double LoadAverage() => Machine.ReadLoadAverages()[0];

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }

    private void Sample()
    {
        while (!_stop.Token.WaitHandle.WaitOne(s_interval) && _server.ExitCode is null)
        {
            try
            {
                var snapshot = ServerSnapshot.Take(_server, ask: _askServer);
                var loadAverage = LoadAverage();
                lock (_gate)
                {
                    _peak = _peak.Max(snapshot);
                    _peakLoadAverage = Math.Max(_peakLoadAverage, loadAverage);
                }
            }
            catch (IOException)
            {
                // The server exited between the check and the read of /proc.
            }
        }
    }
}
