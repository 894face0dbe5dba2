using System.Diagnostics.Metrics;

namespace Gevent.Tests.Diagnostics;

// Alone: the process-wide gauges sum every hub's, and a test running beside it may have jobs queued in its own hub's pool.
[Collection(SequentialCollection.Name)]
public class MetricsTests
{
    [Fact]
    public void TheGeventMeterReportsSpawnsSwitchesAndLoopIterations()
    {
        HubTest.Run(() =>
        {
            // The meter appears with the first hub; this body's hub may be the process's first.
            Assert.NotNull(Hub.Current);
            using var listener = new MeterListener();
            var values = new Dictionary<string, long>();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GeventMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => values[instrument.Name] = value);
            listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => values[instrument.Name] = value);
            listener.Start();

            listener.RecordObservableInstruments();
            var before = new Dictionary<string, long>(values);
            Assert.Contains("gevent.greenlets.alive", before.Keys);
            Assert.Contains("gevent.monitor.blocking_reports", before.Keys);

            var greenlets = Enumerable.Range(0, 10).Select(_ => Greenlet.Spawn(() => Greenlet.Sleep(TimeSpan.FromMilliseconds(2)))).ToList();
            Greenlet.JoinAll(greenlets);
            listener.RecordObservableInstruments();

            Assert.True(values["gevent.greenlets.spawned"] >= before["gevent.greenlets.spawned"] + 10);
            Assert.True(values["gevent.switches"] >= before["gevent.switches"] + 20);
            Assert.True(values["gevent.loop.iterations"] > before["gevent.loop.iterations"]);

            // More CPU jobs than pool threads: the rest wait in the pool's queue, and the gauge shows them.
            using var release = new ManualResetEventSlim();
            var jobs = Enumerable.Range(0, Hub.Current.ThreadPool.Size + 3).Select(_ => Hub.Current.ThreadPool.Spawn(() => release.Wait(TimeSpan.FromSeconds(30)))).ToList();
            listener.RecordObservableInstruments();
            Assert.True(values["gevent.threadpool.queue_length"] >= 3, $"queue length {values["gevent.threadpool.queue_length"]}");
            release.Set();
            jobs.ForEach(job => job.Get());
            listener.RecordObservableInstruments();
            Assert.Equal(0, values["gevent.threadpool.queue_length"]);
        });
    }
}
