namespace Gevent.Greenlets.Threads;

/// <summary>The portable parker: a monitor and a flag. Used where there is no futex.</summary>
internal sealed class MonitorParker : ThreadParker
{
    private readonly object _gate = new();
    private bool _permit;

    public override void Park()
    {
        lock (_gate)
        {
            while (!_permit)
            {
                Monitor.Wait(_gate);
            }

            _permit = false;
        }
    }

    public override bool Park(TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            while (!_permit)
            {
                var remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    return false;
                }

                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(remaining));
            }

            _permit = false;
            return true;
        }
    }

    public override void Unpark()
    {
        lock (_gate)
        {
            _permit = true;
            Monitor.Pulse(_gate);
        }
    }
}
