using Gevent.Patches;
using System.Diagnostics;

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="Process.WaitForExit()"/>: in a greenlet, park on
/// <see cref="Process.WaitForExitAsync(CancellationToken)"/>, then ask the original with a zero timeout
/// (or, for the untimed overload, the original itself, which then only finishes its bookkeeping).
/// </summary>
public static class ProcessPatches
{
    /// <summary><see cref="Process.WaitForExit()"/>; like the original, also waits for redirected output read by events to end.</summary>
    [Patch(typeof(Process), nameof(Process.WaitForExit), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static void WaitForExit(Process process)
    {
        if (Hub.CooperativeGreenlet is not null && process is not null && !process.WaitForExit(0))
        {
            ParkUntilExited(process, timeout: null);
        }

        process!.WaitForExit();
    }

    /// <summary><see cref="Process.WaitForExit(int)"/>.</summary>
    [Patch(typeof(Process), nameof(Process.WaitForExit), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool WaitForExit(Process process, int milliseconds) =>
        Hub.CooperativeGreenlet is null || process is null
            ? process!.WaitForExit(milliseconds)
            : WaitForExit(process, Timeouts.FromMilliseconds(milliseconds));

    /// <summary><see cref="Process.WaitForExit(TimeSpan)"/>.</summary>
    [Patch(typeof(Process), nameof(Process.WaitForExit), PatchKind.Instance, PatchStrategy.AsyncTwin)]
    public static bool WaitForExit(Process process, TimeSpan timeout) =>
        Hub.CooperativeGreenlet is null || process is null
            ? process!.WaitForExit(timeout)
            : WaitForExit(process, Timeouts.FromTimeSpan(timeout));

    private static bool WaitForExit(Process process, TimeSpan? timeout)
    {
        if (!process.WaitForExit(0))
        {
            ParkUntilExited(process, timeout);
        }

        return process.WaitForExit(0);
    }

    /// <summary>Parks on the async twin; cancels it when the wait ends (timeout, kill) so that it does not linger.</summary>
    private static void ParkUntilExited(Process process, TimeSpan? timeout)
    {
        using var stop = new CancellationTokenSource();
        var exited = process.WaitForExitAsync(stop.Token);
        try
        {
            Parking.Park(exited, timeout);
        }
        finally
        {
            stop.Cancel();
        }
    }
}
