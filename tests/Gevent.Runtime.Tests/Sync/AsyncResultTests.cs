using System.Runtime.CompilerServices;

namespace Gevent.Runtime.Tests.Sync;

public class AsyncResultTests
{
    [Fact]
    public void Get_WaitsForSet_AndEveryWaiterSeesTheValue() => HubTest.Run(() =>
    {
        var result = new AsyncResult<int>();
        var readers = Enumerable.Range(0, 3).Select(_ => Greenlet.Spawn(() => result.Get())).ToList();
        Greenlet.Yield();
        Assert.All(readers, r => Assert.False(r.Ready));

        result.Set(42);
        Assert.True(result.Ready);
        Assert.True(result.Successful);
        Assert.All(readers, r => Assert.Equal(42, r.Get()));
    });

    [Fact]
    public void Link_ReRaisesTheGreenletsException_WithItsStackTrace() => HubTest.Run(() =>
    {
        Hub.Current.ErrorHandler = (_, _) => { };
        var result = new AsyncResult<int>();
        var greenlet = Greenlet.Spawn(FailDeepInside);
        greenlet.Link(result);

        var thrown = Assert.Throws<InvalidOperationException>(() => result.Get());
        Assert.Equal("boom", thrown.Message);
        Assert.Contains(nameof(FailDeepInside), thrown.StackTrace);
        Assert.Same(greenlet.Exception, result.Exception);
        Assert.False(result.Successful);
    });

    [Fact]
    public void Link_SetsTheValue_OfASuccessfulGreenlet() => HubTest.Run(() =>
    {
        var result = new AsyncResult<string>();
        var greenlet = Greenlet.Spawn(() => "done");
        greenlet.Link(result);
        Assert.Equal("done", result.Get());
    });

    [Fact]
    public void Wait_And_Get_TimeOut() => HubTest.Run(() =>
    {
        var result = new AsyncResult<int>();
        Assert.False(result.Wait(TimeSpan.FromMilliseconds(2)));
        Assert.Throws<GreenTimeoutException>(() => result.Get(TimeSpan.FromMilliseconds(2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => result.Get(TimeSpan.FromSeconds(-1)));
    });

    [Fact]
    public void SettingTwice_Throws() => HubTest.Run(() =>
    {
        var result = new AsyncResult<int>();
        result.Set(1);
        Assert.Throws<InvalidOperationException>(() => result.Set(2));
        Assert.Throws<InvalidOperationException>(() => result.SetException(new Exception()));
        Assert.Equal(1, result.Get());
    });

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FailDeepInside() => throw new InvalidOperationException("boom");
}
