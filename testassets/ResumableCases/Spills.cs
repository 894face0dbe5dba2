namespace ResumableCases;

/// <summary>
/// Suspending calls with values on the evaluation stack below their arguments, which the rewriter spills to locals
/// and pushes again on resume; <see cref="Next"/> logs "yield" and suspends each time.
/// </summary>
public sealed class Spills(int rounds)
{
    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public double Result { get; private set; }

    public void Run()
    {
        long total = 0;
        double mixed = 0;
        for (var i = 0; i < rounds; i++)
        {
            // A long below the call (x + Call()).
            total = total + Next(i);
            // The receiver, an int and a string below it (Foo(a, b, Call())).
            total += Combine(i, "r" + i, Next(i + 1));
            // The list of an outer call below it, and a double computed before it.
            Log.Add(Describe(Next(i + 2)));
            mixed = mixed + i * 2.5 + Next(i + 3);
            try
            {
                // Inside a try block: spilled, and the block re-entered by its dispatch.
                total = total * 2 + Next(i + 4);
            }
            finally
            {
                Log.Add("finally " + total);
            }
        }

        Result = total + mixed;
    }

    /// <summary>A null literal below the call: its type is not known, so the site is not linked and nothing is rewritten here.</summary>
    public void LeftOut() => Consume(null, Next(1));

    private long Next(int i)
    {
        Log.Add("yield " + i);
        Thread.Yield();
        return (long)i * i;
    }

    private long Combine(int a, string b, long c) => a * 1000 + b.Length * 100 + c + Log.Count;

    private static string Describe(long value) => "value " + value;

    private void Consume(string? text, long value) => Log.Add((text ?? "null") + " " + value);
}
