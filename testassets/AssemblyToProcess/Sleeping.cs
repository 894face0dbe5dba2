namespace AssemblyToProcess;

/// <summary><c>Thread.Sleep</c> in every kind of code the compiler generates.</summary>
public static class Sleeping
{
    private static readonly object s_gate = new();

    public static void Plain(int milliseconds) => Thread.Sleep(milliseconds);

    public static void Span(int milliseconds) => Thread.Sleep(TimeSpan.FromMilliseconds(milliseconds));

    public static bool YieldOnce() => Thread.Yield();

    public static void Lambda(int milliseconds)
    {
        Action sleep = () => Thread.Sleep(milliseconds);
        sleep();
    }

    public static void LocalFunction(int milliseconds)
    {
        Nap();

        void Nap() => Thread.Sleep(milliseconds);
    }

    public static void MethodGroup(int milliseconds)
    {
        Action<int> sleep = Thread.Sleep;
        sleep(milliseconds);
    }

    public static int Iterator(int milliseconds) => Ticks(2, milliseconds / 2).Sum();

    public static int Async(int milliseconds) => SleepThenAnswerAsync(milliseconds).GetAwaiter().GetResult();

    public static int LockWithSleepInside(int milliseconds, object gate)
    {
        lock (gate)
        {
            Thread.Sleep(milliseconds);
            return 1;
        }
    }

    public static int SharedLock(int milliseconds) => LockWithSleepInside(milliseconds, s_gate);

    public static string TryCatchFinally(int milliseconds)
    {
        var trace = "";
        try
        {
            Thread.Sleep(milliseconds);
            Thread.Sleep(-2);
        }
        catch (ArgumentOutOfRangeException e) when (Filter(e, milliseconds))
        {
            trace += "caught;";
        }
        finally
        {
            Thread.Sleep(0);
            trace += "finally";
        }

        return trace;
    }

    private static bool Filter(Exception e, int milliseconds)
    {
        Thread.Sleep(milliseconds / 10);
        return e is ArgumentOutOfRangeException;
    }

    private static IEnumerable<int> Ticks(int count, int milliseconds)
    {
        for (var i = 1; i <= count; i++)
        {
            Thread.Sleep(milliseconds);
            yield return i;
        }
    }

    private static async Task<int> SleepThenAnswerAsync(int milliseconds)
    {
        // The synchronous part of an async method runs on the caller: inside a greenlet it cooperates.
        Thread.Sleep(milliseconds);
        await Task.CompletedTask;
        return 42;
    }
}
