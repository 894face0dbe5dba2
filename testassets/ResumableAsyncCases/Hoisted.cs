namespace ResumableAsyncCases;

/// <summary>
/// Npgsql's shape: an async method, run synchronously, that stores a suspending call's result in a hoisted field (the
/// struct state machine's <c>this</c> below the call's arguments: <c>ldarg.0; ldarg.0; ldfld &lt;&gt;4__this; …; call;
/// stfld</c>) inside a <c>using</c> of a struct scope whose <c>Dispose</c> waits in the state machine's finally. It throws
/// at <c>throwAt</c>: "before" the first call's yield, "after" its resume, or nowhere.
/// </summary>
public sealed class Hoisted(string throwAt)
{
    /// <summary>The steps the async method may throw at; "" throws nowhere.</summary>
    public static readonly string[] ThrowPoints = ["", "before", "after"];

    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public int Result { get; private set; }

    /// <summary>Runs the async method synchronously.</summary>
    public void Run()
    {
        Log.Add("start");
        try
        {
            Result = Measure(3).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException e)
        {
            Log.Add("caught " + e.Message);
        }

        Log.Add("end " + Result);
    }

    private async Task<int> Measure(int x)
    {
        using var scope = new Scope(Log);
        var started = StartUserAction(x);
        await Task.CompletedTask;
        Log.Add("started " + started);
        var more = StartUserAction(started);
        await Task.CompletedTask;
        return started + more;
    }

    private int StartUserAction(int x)
    {
        Step("before");
        Thread.Yield();
        Log.Add("action " + x);
        Step("after");
        return x * 10;
    }

    private void Step(string name)
    {
        if (name == throwAt)
        {
            Log.Add("throw " + name);
            throw new InvalidOperationException(name);
        }
    }

    /// <summary>A struct scope whose disposal waits, as a connector's user action scope may.</summary>
    private readonly struct Scope(List<string> log) : IDisposable
    {
        public void Dispose()
        {
            Thread.Yield();
            log.Add("disposed");
        }
    }
}
