namespace ResumableCases;

/// <summary>
/// A body's script, shared by the exception-handling and disposal matrices: it logs what ran, yields (a suspension in
/// a greenlet) and throws at the step named by <see cref="ThrowAt"/>, so the woven and the original runs can be compared.
/// </summary>
public abstract class ScriptedSteps(string throwAt)
{
    /// <summary>What the body did, in order; "yield" right before each suspension.</summary>
    public List<string> Log { get; } = new();

    /// <summary>The step the body throws at; "" throws nowhere.</summary>
    protected string ThrowAt => throwAt;

    /// <summary>Logs "yield" and yields: a suspension point.</summary>
    protected void Suspend()
    {
        Log.Add("yield");
        Thread.Yield();
    }

    /// <summary>Throws an <see cref="InvalidOperationException"/> if <paramref name="name"/> is the step to throw at.</summary>
    protected void Step(string name)
    {
        if (name == throwAt)
        {
            Log.Add("throw " + name);
            throw new InvalidOperationException(name);
        }
    }
}
