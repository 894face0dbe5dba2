using Gevent.Tests;

namespace Gevent.Runtime.Tests.Tasks;

public class GreenTaskTests
{
    [Fact]
    public void WaitingOnATask_ParksOnlyThatGreenlet() => HubTest.Run(() =>
    {
        using var ticker = new Ticker();

        // The task finishes only after the ticker advanced, i.e. only if the hub kept running meanwhile.
        Assert.True(GreenTask.Result(Task.Run(() => ticker.WaitForTicks(5))));
    });

    [Fact]
    public void ATaskCompletedByAnotherGreenlet_WakesTheWaiter() => HubTest.Run(() =>
    {
        var source = new TaskCompletionSource<int>();
        var waiter = Greenlet.Spawn(() => GreenTask.GetResult(source.Task));
        Greenlet.Yield();
        Assert.False(waiter.Dead);

        Greenlet.Spawn(() => source.SetResult(5));
        Assert.Equal(5, waiter.Get(TimeSpan.FromSeconds(10)));
    });

    [Fact]
    public void Failures_AreThrownAsTheBclMemberWouldThrowThem() => HubTest.Run(() =>
    {
        var failed = Task.Run(int () => throw new FormatException("bad"));
        var aggregate = Assert.Throws<AggregateException>(() => GreenTask.Result(failed));
        Assert.IsType<FormatException>(aggregate.InnerException);
        Assert.Throws<AggregateException>(() => GreenTask.Wait(failed));
        Assert.Throws<FormatException>(() => GreenTask.GetResult(failed));
        Assert.Throws<FormatException>(() => GreenTask.GetResult((Task)failed));
        Assert.Throws<FormatException>(() => GreenTask.GetResult(new ValueTask<int>(failed)));
        Assert.Throws<FormatException>(() => GreenTask.GetResult(new ValueTask(failed)));
    });

    [Fact]
    public void ValueTasks_AreWaitedCooperatively() => HubTest.Run(() =>
    {
        var source = new TaskCompletionSource<string>();
        var waiter = Greenlet.Spawn(() => GreenTask.GetResult(new ValueTask<string>(source.Task)));
        Greenlet.Yield();
        source.SetResult("value");
        Assert.Equal("value", waiter.Get(TimeSpan.FromSeconds(10)));
        Assert.Equal(3, GreenTask.GetResult(new ValueTask<int>(3)));
    });

    [Fact]
    public void ATimedOutWait_ReturnsFalse_AndNoLongerKeepsTheHubAlive() => HubTest.Run(() =>
    {
        var never = new TaskCompletionSource().Task;
        Assert.False(GreenTask.Wait(never, TimeSpan.FromMilliseconds(5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => GreenTask.Wait(never, TimeSpan.FromMilliseconds(-5)));

        // Were the wait still counted as outside work, the hub would never be idle.
        Assert.True(Greenlet.Wait(TimeSpan.FromSeconds(10)));
    });

    [Fact]
    public void Cancellation_EndsTheWait_WithOperationCanceled() => HubTest.Run(() =>
    {
        Hub.Current.ErrorHandler = (_, _) => { };
        var never = new TaskCompletionSource().Task;
        using var cancellation = new CancellationTokenSource();
        var waiter = Greenlet.Spawn(() => GreenTask.Wait(never, cancellation.Token));
        Greenlet.Yield();
        Assert.False(waiter.Dead);

        cancellation.Cancel();
        waiter.Join(TimeSpan.FromSeconds(10));
        Assert.IsType<OperationCanceledException>(waiter.Exception);
        Assert.False(GreenTask.Wait(never, 1));
    });

    [Fact]
    public void AKilledWaiter_DiesAndReleasesTheHub() => HubTest.Run(() =>
    {
        var never = new TaskCompletionSource().Task;
        var waiter = Greenlet.Spawn(() => GreenTask.Wait(never));
        Greenlet.Yield();
        waiter.Kill();
        Assert.True(waiter.Dead);
        Assert.True(Greenlet.Wait(TimeSpan.FromSeconds(10)));
    });

    [Fact]
    public void OutsideAGreenlet_ItIsTheBclCall() => HubTest.OnPlainThread(() =>
    {
        var task = Task.Run(() => 8);
        Assert.Equal(8, GreenTask.Result(task));
        Assert.True(GreenTask.Wait(task, TimeSpan.FromSeconds(10)));
        Assert.Null(Hub.CurrentGreenletOrNull);
    });
}
