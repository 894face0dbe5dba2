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

    /// <summary>Sleeps in a try block: exception handlers are not rewritten in this slice, so this sleep pins.</summary>
    public static void SleepInTry(int milliseconds, List<string> log)
    {
        try
        {
            Thread.Sleep(milliseconds);
        }
        finally
        {
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
