namespace Gevent.Bench;

/// <summary>A one-shot event: <see cref="Wait"/> blocks until <see cref="Set"/>; what event wake-up runs through.</summary>
internal interface IWakeSignal
{
    void Wait();

    void Set();
}
