using Gevent.Greenlets;

namespace Gevent.Tests.Greenlets;

/// <summary>
/// A stand-in execution tier that shares nothing with tier 1: each greenlet runs on a thread this tier
/// creates, the baton passes through semaphores, and every call the hub makes is recorded. A hub that
/// reached past the seam into tier 1 (its worker pool, parkers or current-greenlet slot) would not run
/// greenlets correctly here, or would leave calls out of the record.
/// </summary>
internal sealed class RecordingTier(params string[] refusedNames) : ExecutionTier
{
    public const string ThreadName = "recording tier";

    private readonly Dictionary<Greenlet, SemaphoreSlim> _batons = [];
    private readonly List<string> _calls = [];

    /// <summary>The calls so far, in order, naming greenlets by name ("main" for the main one).</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public override void Adopt(Greenlet main)
    {
        Record($"adopt {NameOf(main)}");
        BatonOf(main, create: true);
        SetCurrent(main);
    }

    public override bool TryStart(Greenlet greenlet)
    {
        Record($"start {NameOf(greenlet)}");
        if (refusedNames.Contains(greenlet.Name))
        {
            greenlet.FailToStart(new InvalidOperationException($"The recording tier refuses '{greenlet.Name}'."));
            return false;
        }

        var baton = BatonOf(greenlet, create: true);
        new Thread(() =>
        {
            baton.Wait();
            SetCurrent(greenlet);
            greenlet.Execute();
            greenlet.Hub.HandOffFromFinished();
            SetCurrent(null);
        })
        { IsBackground = true, Name = ThreadName }.Start();
        return true;
    }

    public override void Switch(Greenlet self, Greenlet next)
    {
        Record($"switch {NameOf(self)} -> {NameOf(next)}");
        BatonOf(next, create: false).Release();
        BatonOf(self, create: false).Wait();
    }

    public override void HandOff(Greenlet next)
    {
        Record($"hand off to {NameOf(next)}");
        BatonOf(next, create: false).Release();
    }

    private static string NameOf(Greenlet greenlet) => greenlet.IsMain ? "main" : greenlet.Name;

    private SemaphoreSlim BatonOf(Greenlet greenlet, bool create)
    {
        lock (_batons)
        {
            if (create)
            {
                _batons.Add(greenlet, new SemaphoreSlim(0));
            }

            return _batons[greenlet];
        }
    }

    private void Record(string call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }
    }
}
