namespace ResumableAsyncCases;

/// <summary>
/// An async method whose body waits without awaiting (a yield: a suspension in a greenlet), called synchronously
/// through <c>GetAwaiter().GetResult()</c>; it throws at the step named by <c>throwAt</c> ("before" its yield,
/// "after" the resume, or none), which the task carries to the caller. It sets an <c>AsyncLocal</c>, which it sees
/// after its resume and its caller never sees, and installs a synchronization context, likewise.
/// </summary>
public sealed class SyncOverAsync(string throwAt)
{
    /// <summary>The steps the async method may throw at; "" throws nowhere.</summary>
    public static readonly string[] ThrowPoints = ["", "before", "after"];

    private static readonly AsyncLocal<string> s_scope = new();

    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public int Result { get; private set; }

    /// <summary>Yields once (a stackless suspension when woven), then runs the async method synchronously.</summary>
    public void Run()
    {
        Log.Add("start");
        Thread.Yield();
        try
        {
            Result = AddLater(20).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException e)
        {
            Log.Add("caught " + e.Message);
        }

        Log.Add("caller sees " + (s_scope.Value ?? "no scope") + ", " + Describe(SynchronizationContext.Current));
        Log.Add("end " + Result);
    }

    private async Task<int> AddLater(int x)
    {
        s_scope.Value = "scope " + x;
        SynchronizationContext.SetSynchronizationContext(new NamedContext("context " + x));
        Log.Add("in " + x);
        Step("before");
        Thread.Yield();
        Log.Add("resumed in " + s_scope.Value + ", " + Describe(SynchronizationContext.Current));
        Step("after");
        // Completed already: the state machine runs on, as every await of a sync path does.
        await Task.CompletedTask;
        return x + 1;
    }

    private static string Describe(SynchronizationContext? context) => context is NamedContext named ? named.Name : "no context";

    private void Step(string name)
    {
        if (name == throwAt)
        {
            Log.Add("throw " + name);
            throw new InvalidOperationException(name);
        }
    }

    /// <summary>A synchronization context that only has a name, to be seen.</summary>
    private sealed class NamedContext(string name) : SynchronizationContext
    {
        public string Name => name;
    }
}
