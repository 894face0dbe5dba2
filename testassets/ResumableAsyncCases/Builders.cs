using System.Runtime.CompilerServices;

namespace ResumableAsyncCases;

/// <summary>
/// Async methods over each builder the compiler picks (<c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c>,
/// <c>ValueTask&lt;T&gt;</c>, a pooling <c>ValueTask&lt;T&gt;</c>, <c>void</c>, a generic method's state machine), each waiting
/// without awaiting, run synchronously; one awaits another that completes synchronously, as Npgsql's sync paths do.
/// </summary>
public sealed class Builders
{
    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public int Result { get; private set; }

    /// <summary>Runs every async method synchronously.</summary>
    public void Run()
    {
        Log.Add("start");
        Plain().GetAwaiter().GetResult();
        PlainValue().GetAwaiter().GetResult();
        Fire();
        Result = Later(1).GetAwaiter().GetResult()
            + Later("two").GetAwaiter().GetResult().Length
            + Pooled(3).GetAwaiter().GetResult()
            + Nested(4).GetAwaiter().GetResult();
        Log.Add("end " + Result);
    }

    private async Task Plain()
    {
        Thread.Yield();
        Log.Add("plain");
        await Task.CompletedTask;
    }

    private async ValueTask PlainValue()
    {
        Thread.Sleep(1);
        Log.Add("plain value");
        await Task.CompletedTask;
    }

    private async void Fire()
    {
        Thread.Yield();
        Log.Add("fired");
        await Task.CompletedTask;
    }

    private async ValueTask<T> Later<T>(T value)
    {
        Thread.Yield();
        Log.Add("later " + value);
        await Task.CompletedTask;
        return value;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> Pooled(int x)
    {
        Thread.Yield();
        Log.Add("pooled " + x);
        await Task.CompletedTask;
        return x;
    }

    private async Task<int> Nested(int x)
    {
        var inner = await Later(x);
        Thread.Yield();
        Log.Add("nested " + inner);
        return inner + 1;
    }
}
