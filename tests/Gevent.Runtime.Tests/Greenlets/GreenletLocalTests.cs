using System.Runtime.CompilerServices;

namespace Gevent.Runtime.Tests.Greenlets;

public class GreenletLocalTests
{
    [Fact]
    public void EachGreenlet_SeesItsOwnValue() => HubTest.Run(() =>
    {
        var local = new GreenletLocal<string>();
        local.Value = "main";
        var workers = Enumerable.Range(0, 3).Select(i => Greenlet.Spawn(() =>
        {
            Assert.False(local.IsValueCreated);
            Assert.Null(local.Value);
            local.Value = $"worker {i}";
            Greenlet.Yield();
            return local.Value;
        })).ToList();

        Assert.Equal(["worker 0", "worker 1", "worker 2"], workers.Select(w => w.Get()));
        Assert.Equal("main", local.Value);
    });

    [Fact]
    public void Factory_RunsOncePerGreenlet() => HubTest.Run(() =>
    {
        var made = 0;
        var local = new GreenletLocal<List<int>>(() =>
        {
            made++;
            return [];
        });
        local.Value.Add(1);
        local.Value.Add(2);
        var other = Greenlet.Spawn(() => local.Value.Count);

        Assert.Equal(0, other.Get());
        Assert.Equal([1, 2], local.Value);
        Assert.Equal(2, made);
    });

    [Fact]
    public void AGreenletsValue_IsReleasedWhenItDies() => HubTest.Run(() =>
    {
        var local = new GreenletLocal<object>();
        var (greenlet, value) = SpawnHolder(local);
        greenlet.Join();
        Greenlet.Yield();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // The greenlet itself is still referenced here, so only the death link can have dropped the value.
        Assert.True(greenlet.Dead);
        Assert.False(value.IsAlive);
    });

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (Greenlet Greenlet, WeakReference Value) SpawnHolder(GreenletLocal<object> local)
    {
        var value = new WeakReference(null);
        var greenlet = Greenlet.Spawn(() =>
        {
            local.Value = new byte[1024];
            value.Target = local.Value;
        });
        return (greenlet, value);
    }
}
