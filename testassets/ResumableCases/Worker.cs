namespace ResumableCases;

/// <summary>
/// Greenlet bodies (parameterless instance methods, so a delegate's target is the method itself) whose
/// blocking calls the weaver makes cooperative and whose frames it makes resumable.
/// </summary>
public sealed class Worker(int rounds, int milliseconds)
{
    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public long Result { get; private set; }

    /// <summary>A loop keeping locals of several types across sleeps and calls of other rewritten methods.</summary>
    public void Run()
    {
        long total = 0;
        var tag = 'a';
        for (var i = 0; i < rounds; i++)
        {
            var label = "round " + i;
            var square = Steps.Square(i, milliseconds);
            total += square;
            Thread.Sleep(milliseconds);
            tag++;
            Log.Add(string.Join(" ", label, square, total, tag));
        }

        Result = total;
    }

    /// <summary>Yields <c>rounds</c> times, logging each turn: turns of several such workers interleave.</summary>
    public void Turns()
    {
        for (var i = 0; i < rounds; i++)
        {
            Log.Add("turn " + i);
            Thread.Yield();
        }
    }

    /// <summary>Sleeps until killed: "woke" is never logged then.</summary>
    public void Park()
    {
        Log.Add("parked");
        Thread.Sleep(Timeout.Infinite);
        Log.Add("woke");
    }

    /// <summary>Sleeps stacklessly, then calls a method this slice does not rewrite, whose sleep pins.</summary>
    public void ThenUncovered()
    {
        Thread.Sleep(milliseconds);
        Log.Add("before");
        Steps.SleepInFinally(milliseconds, Log);
        Log.Add("after");
    }
}
