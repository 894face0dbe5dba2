namespace AssemblyToProcess;

/// <summary>Code that opts out of weaving: it keeps calling the blocking originals.</summary>
public static class Skipped
{
    [Gevent.SkipWeaving]
    public static void Sleep(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        Action nap = () => Thread.Sleep(milliseconds);
        nap();
    }

    [Gevent.SkipWeaving]
    public static async Task<int> SleepAsync(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        await Task.Yield();
        return milliseconds;
    }

    /// <summary>A neighbour without the attribute is woven as usual.</summary>
    public static void Woven(int milliseconds) => Thread.Sleep(milliseconds);

    [Gevent.SkipWeaving]
    public sealed class Type
    {
        public static void Sleep(int milliseconds) => Thread.Sleep(milliseconds);
    }
}
