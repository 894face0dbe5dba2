using System.Diagnostics.Metrics;

namespace Gevent.Tests.Diagnostics;

/// <summary>Metrics and run info of a process with several hubs, told apart by hub.</summary>
public class PerHubDiagnosticsTests
{
    [Fact]
    public void HubMetrics_AreTaggedByHub_AndCountEachHubsOwnWork() => HubTest.OnPlainThread(() =>
    {
        using var group = HubGroup.Start(2);
        var (busy, idle) = (group.Hubs[0].Id, group.Hubs[1].Id);
        var values = new Dictionary<(string Name, int Hub), long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GeventMetrics.MeterName && instrument.Name.StartsWith("gevent.hub.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == GeventMetrics.HubTag)
                {
                    values[(instrument.Name, (int)tag.Value!)] = value;
                }
            }
        });
        listener.Start();

        long Read(string name, int hub)
        {
            listener.RecordObservableInstruments();
            return values[(name, hub)];
        }

        // Hub 0 parks five greenlets and yields 100 times; hub 1 does nothing.
        var (busySwitches, idleSwitches) = (Read("gevent.hub.switches", busy), Read("gevent.hub.switches", idle));
        var (busyAlive, idleAlive) = (Read("gevent.hub.greenlets.alive", busy), Read("gevent.hub.greenlets.alive", idle));
        var busyIterations = Read("gevent.hub.loop.iterations", busy);
        var release = new CrossHubEvent();
        group.SpawnAsync(0, () =>
        {
            for (var i = 0; i < 5; i++)
            {
                Greenlet.Spawn(() => release.Wait());
            }

            for (var i = 0; i < 100; i++)
            {
                Greenlet.Yield();
            }
        }).Wait();

        // The greenlet that ran the work ends just after its task completes.
        SpinWait.SpinUntil(() => Read("gevent.hub.greenlets.alive", busy) == busyAlive + 5, TimeSpan.FromSeconds(10));
        Assert.Equal(busyAlive + 5, Read("gevent.hub.greenlets.alive", busy));
        Assert.Equal(idleAlive, Read("gevent.hub.greenlets.alive", idle));
        Assert.True(Read("gevent.hub.switches", busy) >= busySwitches + 100, "hub 0's switches did not count its yields");
        Assert.True(Read("gevent.hub.switches", idle) - idleSwitches < 10, "the idle hub counted switches it did not make");
        // Hub 0 ran its loop at least once for that work (it polled before parking again): its own count moved.
        Assert.True(Read("gevent.hub.loop.iterations", busy) > busyIterations, "hub 0's loop iterations did not count its work");
        Assert.Equal(0, Read("gevent.hub.threadpool.queue_length", idle));
        release.Set();
    });

    [Fact]
    public void AGroupsRunInfo_ListsEachHubsGreenletsUnderThatHub() => HubTest.Run(() =>
    {
        using var group = HubGroup.Start(2);
        var release = new CrossHubEvent();
        for (var i = 0; i < group.Count; i++)
        {
            var name = $"parked on hub index {i}";
            GreenTask.GetResult(group.SpawnAsync(i, () => { Greenlet.Spawn(() => release.Wait()).Name = name; }));
        }

        var info = group.FormatRunInfo();
        release.Set();

        // Each hub's section starts with the hub and holds its own greenlet only.
        var sections = group.Hubs.Select(hub => info.IndexOf($"{hub}:", StringComparison.Ordinal)).ToList();
        Assert.All(sections, start => Assert.True(start >= 0, info));
        Assert.True(sections[0] < sections[1], info);
        var first = info[sections[0]..sections[1]];
        var second = info[sections[1]..];
        Assert.Contains("parked on hub index 0: waiting on", first);
        Assert.DoesNotContain("parked on hub index 1", first);
        Assert.Contains("parked on hub index 1: waiting on", second);
        Assert.DoesNotContain("parked on hub index 0", second);
    });
}
