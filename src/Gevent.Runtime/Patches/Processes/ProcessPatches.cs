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

    /// <summary>
    /// Parks on the async twin; cancels it when the wait ends (timeout, kill) so that it does not linger. The twin ends
    /// when <see cref="Process.Exited"/> is raised, by a callback of the .NET thread pool, so the process is looked at
    /// too (<see cref="Parking.ParkOrLook"/>; <see cref="Process.HasExited"/> reaps it). Once it has exited, a twin
    /// asked again waits only for redirected output to end, as the original does.
    /// </summary>
    private static void ParkUntilExited(Process process, TimeSpan? timeout)
    {
        using var stop = new CancellationTokenSource();
        var waited = Stopwatch.StartNew();
        try
        {
            if (Parking.ParkOrLook(process.WaitForExitAsync(stop.Token), timeout, () => process.HasExited))
            {
                Parking.Park(process.WaitForExitAsync(stop.Token), Parking.Left(timeout, waited));
            }
        }
        finally
        {
            stop.Cancel();
        }
    }
}
