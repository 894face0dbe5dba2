namespace ResumableAsyncCases;

/// <summary>
/// An async method that really awaits (<c>gate</c>, incomplete when awaited) after a wait of its own, run
/// synchronously: the caller blocks in <c>GetResult</c> until the continuation, on the thread pool, completes the task.
/// </summary>
public sealed class RealAwait(Task gate)
{
    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public int Result { get; private set; }

    /// <summary>Runs the async method synchronously.</summary>
    public void Run()
    {
        Log.Add("start");
        Result = Delayed(6).GetAwaiter().GetResult();
        Log.Add("end " + Result);
    }

    private async Task<int> Delayed(int x)
    {
        Thread.Yield();
        Log.Add("yielded");
        await gate;
        Log.Add("through the gate");
        return x + 1;
    }
}
