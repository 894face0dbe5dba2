namespace SuspensionCases;

/// <summary>
/// Capturable methods (nothing pins at their sites) whose sites the resumable frames cannot link, one reason each:
/// <c>scan --suspension</c> names the site and the reason. (Delegate calls are in <see cref="Capturable"/>; its virtual and
/// interface calls, whose every override is rewritten, are linked.)
/// </summary>
public static class Unlinked
{
    /// <summary>Calls a method that pins (it waits inside a finally), so is not rewritten.</summary>
    public static void CallsAPinningMethod() => Pinning.InFinally();

    /// <summary>A null literal below the call: its type is not known, so it cannot be spilled.</summary>
    public static void NullBelowTheCall() => Take(null, Counted());

    /// <summary>A task wait: its replacement waits on the greenlet's thread, it has no resumable form.</summary>
    public static void WaitsOnATask(Task task) => task.Wait();

    /// <summary>A virtual call one of whose overrides pins (it waits holding a lock), so is not rewritten.</summary>
    public static void CallsAPinningOverride(Pen pen) => pen.Draw();

    /// <summary>An interface call one of whose implementations pins.</summary>
    public static void CallsAPinningImplementation(IStroke stroke) => stroke.Stroke();

    /// <summary>Sleeps, then returns 1: rewritten, and linked where its caller can spill what is below the call.</summary>
    public static int Counted()
    {
        Thread.Sleep(1);
        return 1;
    }

    private static void Take(string? text, int value) => GC.KeepAlive(text ?? value.ToString());
}

/// <summary>A pen: one override is rewritten, the other pins.</summary>
public abstract class Pen
{
    /// <summary>Draws, after a wait.</summary>
    public abstract void Draw();
}

/// <summary>Sleeps: rewritten.</summary>
public sealed class FastPen : Pen
{
    /// <inheritdoc />
    public override void Draw() => Thread.Sleep(1);
}

/// <summary>Sleeps holding a lock: pins, so is not rewritten.</summary>
public sealed class LockedPen : Pen
{
    /// <inheritdoc />
    public override void Draw()
    {
        lock (this)
        {
            Thread.Sleep(1);
        }
    }
}

/// <summary>A stroke: one implementation is rewritten, the other pins.</summary>
public interface IStroke
{
    /// <summary>Strokes, after a wait.</summary>
    void Stroke();
}

/// <summary>Sleeps: rewritten.</summary>
public sealed class FastStroke : IStroke
{
    /// <inheritdoc />
    public void Stroke() => Thread.Sleep(1);
}

/// <summary>Sleeps holding a lock: pins, so is not rewritten.</summary>
public sealed class LockedStroke : IStroke
{
    /// <inheritdoc />
    public void Stroke()
    {
        lock (this)
        {
            Thread.Sleep(1);
        }
    }
}
