namespace ResumableCases;

/// <summary>Static methods called by <see cref="Worker"/>: a rewritten callee returning a value, and one left as it is.</summary>
public static class Steps
{
    /// <summary>Sleeps, then returns the square of <paramref name="i"/>: a value computed across a suspension.</summary>
    public static long Square(int i, int milliseconds)
    {
        long n = i;
        Thread.Sleep(milliseconds);
        return n * n;
    }

    /// <summary>Sleeps in a finally block: a suspension inside a handler is not rewritten, so this sleep pins.</summary>
    public static void SleepInFinally(int milliseconds, List<string> log)
    {
        try
        {
            log.Add("try");
        }
        finally
        {
            Thread.Sleep(milliseconds);
            log.Add("finally");
        }
    }

    /// <summary>Sums <c>Square</c> over 0..<paramref name="n"/>-1, yielding between terms.</summary>
    public static long SumOfSquares(int n)
    {
        long sum = 0;
        for (var i = 0; i < n; i++)
        {
            var term = Square(i, 0);
            sum += term;
            Thread.Yield();
        }

        return sum;
    }
}
