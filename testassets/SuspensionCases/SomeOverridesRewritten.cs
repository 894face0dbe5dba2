namespace SuspensionCases;

/// <summary>
/// Virtual and interface calls one of whose overrides pins, so is not rewritten, and the other is rewritten: linked, the
/// run-time check leaving the call unlinked where the receiver runs the pinning one.
/// </summary>
public static class SomeOverridesRewritten
{
    /// <summary>A virtual call that may run <see cref="FastPen"/>'s override (rewritten) or <see cref="LockedPen"/>'s (pins).</summary>
    public static void CallsAPen(Pen pen) => pen.Draw();

    /// <summary>An interface call that may run <see cref="FastStroke"/>'s implementation (rewritten) or <see cref="LockedStroke"/>'s (pins).</summary>
    public static void CallsAStroke(IStroke stroke) => stroke.Stroke();
}
