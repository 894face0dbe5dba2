using Gevent.AspNetCore.Scheduling;

namespace Gevent.AspNetCore.Tests.Scheduling;

/// <summary>The request hubs are a <see cref="HubGroup"/>: disposing them ends every hub with what was left on it.</summary>
public sealed class RequestHubsTests
{
    [Fact]
    public void Disposing_KillsWhatIsLeftOnEachHub_EvenGreenletsNoRequestTracks_AndEndsTheHubs()
    {
        var hubs = new RequestHubs(2);
        using var parked = new CountdownEvent(4);
        using var unwound = new CountdownEvent(4);
        void ParkForever()
        {
            try
            {
                parked.Signal();
                Greenlet.Sleep(Timeout.InfiniteTimeSpan);
            }
            finally
            {
                unwound.Signal();
            }
        }

        foreach (var hub in hubs.All)
        {
            // A request's own greenlet, and one it spawned and left behind, which no request tracks.
            new RequestGreenlets(hub, executionContext: null).Post(_ =>
            {
                Greenlet.Spawn(ParkForever);
                ParkForever();
            }, null);
        }

        Assert.True(parked.Wait(TimeSpan.FromSeconds(30)), "the greenlets never parked");
        hubs.Dispose();

        Assert.True(unwound.IsSet, $"{unwound.CurrentCount} parked greenlets were not unwound when Dispose returned");
        Assert.All(hubs.All, hub => Assert.True(hub.Hub.IsDisposed));
    }
}
