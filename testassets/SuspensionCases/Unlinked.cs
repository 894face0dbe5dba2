namespace SuspensionCases;

/// <summary>
/// Capturable methods (nothing pins at their sites) whose sites the resumable frames cannot link, one reason each:
/// <c>scan --suspension</c> names the site and the reason. (Virtual, interface and delegate calls are in <see cref="Capturable"/>.)
/// </summary>
public static class Unlinked
{
    /// <summary>Calls a method that pins (it waits inside a finally), so is not rewritten.</summary>
    public static void CallsAPinningMethod() => Pinning.InFinally();

    /// <summary>A null literal below the call: its type is not known, so it cannot be spilled.</summary>
    public static void NullBelowTheCall() => Take(null, Counted());

    /// <summary>A task wait: its replacement waits on the greenlet's thread, it has no resumable form.</summary>
    public static void WaitsOnATask(Task task) => task.Wait();

    /// <summary>Sleeps, then returns 1: rewritten, and linked where its caller can spill what is below the call.</summary>
    public static int Counted()
    {
        Thread.Sleep(1);
        return 1;
    }

    private static void Take(string? text, int value) => GC.KeepAlive(text ?? value.ToString());
}
