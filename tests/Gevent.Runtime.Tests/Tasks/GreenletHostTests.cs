namespace Gevent.Runtime.Tests.Tasks;

public class GreenletHostTests
{
    [Fact]
    public void AFailureEscapingTheHostsThreadGoesToTheErrorHandler_NotOutOfTheProcess() => HubTest.OnPlainThread(() =>
    {
        var host = new GreenletHost();
        var reported = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Hub.ErrorHandler = (_, e) => reported.TrySetResult(e);

        // Killing the host's main greenlet throws out of its wait, on the host's own thread.
        _ = host.SpawnAsync(() => host.Hub.MainGreenlet.Kill(block: false));

        Assert.True(reported.Task.Wait(TimeSpan.FromSeconds(30)), "nothing reached the error handler");
        Assert.IsType<GreenletExit>(reported.Task.Result);
        host.Dispose();
    });

    [Fact]
    public void AsyncCodeOnAPlainThread_SpawnsAGreenletAndAwaitsItsResult() => HubTest.OnPlainThread(() =>
    {
        using var host = new GreenletHost();
        var result = Task.Run(async () => await host.SpawnAsync(() =>
        {
            Greenlet.Sleep(TimeSpan.FromMilliseconds(1));
            return (Greenlet.Current.Hub == host.Hub, 42);
        })).GetAwaiter().GetResult();

        Assert.Equal((true, 42), result);
        Assert.Null(Hub.CurrentGreenletOrNull);
    });

    [Fact]
    public void AGreenlet_CanBeAwaitedFromAnotherThread() => HubTest.Run(() =>
    {
        using var host = new GreenletHost();
        var gate = new TaskCompletionSource<bool>();
        var value = Task.Run(async () =>
        {
            var greenlet = await host.SpawnAsync(() => Greenlet.Spawn(() =>
            {
                GreenTask.Wait(gate.Task);
                return 9;
            }));
            Assert.False(greenlet.AsTask().IsCompleted);
            gate.SetResult(true);
            return await greenlet;
        }).GetAwaiter().GetResult();

        Assert.Equal(9, value);
    });

    [Fact]
    public void AGreenletsFailure_FailsTheAwait() => HubTest.Run(() =>
    {
        using var host = new GreenletHost();
        host.Hub.ErrorHandler = (_, _) => { };
        var failure = Assert.ThrowsAsync<FormatException>(() => host.SpawnAsync(() => throw new FormatException("in greenlet")));
        Assert.Equal("in greenlet", failure.GetAwaiter().GetResult().Message);
    });

    [Fact]
    public void Dispose_LetsRunningGreenletsFinish_ThenRefusesWork() => HubTest.Run(() =>
    {
        var host = new GreenletHost();
        var finished = false;
        var started = host.SpawnAsync(() => Greenlet.Spawn(() =>
        {
            Greenlet.Sleep(TimeSpan.FromMilliseconds(20));
            finished = true;
        })).GetAwaiter().GetResult();

        host.Dispose();
        Assert.True(finished);
        Assert.True(started.Dead);
        Action spawnAfterDispose = () => host.SpawnAsync(() => 1);
        Assert.Throws<ObjectDisposedException>(spawnAfterDispose);
    });

    [Fact]
    public void TwoHosts_InTurn_EachStartsItsGreenletsAtOnce() => HubTest.OnPlainThread(() =>
    {
        using var first = new GreenletHost("first");
        using var second = new GreenletHost("second");

        // A greenlet that finishes hands its hub on from its own thread, which then waits in that hub's loop while
        // the hub has nothing to do. That thread, back in the shared pool, must not be given to the other hub.
        for (var round = 0; round < 10; round++)
        {
            Assert.True(first.SpawnAsync(() => Hub.Current.Id).Wait(TimeSpan.FromSeconds(20)), $"round {round}: the first hub's greenlet never ran");
            Assert.True(second.SpawnAsync(() => Hub.Current.Id).Wait(TimeSpan.FromSeconds(20)), $"round {round}: the second hub's greenlet never ran");
        }
    });
}
