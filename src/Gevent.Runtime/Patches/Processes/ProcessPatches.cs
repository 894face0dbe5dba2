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
    private static readonly TimeSpan s_firstLook = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_longestLook = TimeSpan.FromSeconds(1);

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
    /// when <see cref="Process.Exited"/> is raised, by a callback the .NET thread pool runs: in an app whose blocking
    /// code starves the pool, that comes late or never, while the original's wait would end. So the process is also
    /// looked at now and then (<see cref="Process.HasExited"/> reaps it), 50 ms after the start, then twice as long
    /// each time up to a second; once it has exited, a twin asked again waits only for redirected output to end, as
    /// the original does.
    /// </summary>
    private static void ParkUntilExited(Process process, TimeSpan? timeout)
    {
        using var stop = new CancellationTokenSource();
        var waited = Stopwatch.StartNew();
        var exited = process.WaitForExitAsync(stop.Token);
        try
        {
            for (var look = s_firstLook; !exited.IsCompleted; look = look < s_longestLook / 2 ? look * 2 : s_longestLook)
            {
                var left = Left(timeout, waited);
                if (left == TimeSpan.Zero)
                {
                    return;
                }

                Parking.Park(exited, left < look ? left : look);
                if (!exited.IsCompleted && process.HasExited)
                {
                    exited = process.WaitForExitAsync(stop.Token);
                    Parking.Park(exited, Left(timeout, waited));
                    return;
                }
            }
        }
        finally
        {
            stop.Cancel();
        }
    }

    /// <summary>What is left of <paramref name="timeout"/> (null: none) after <paramref name="waited"/>, never below zero.</summary>
    private static TimeSpan? Left(TimeSpan? timeout, Stopwatch waited) =>
        timeout is { } whole ? (whole > waited.Elapsed ? whole - waited.Elapsed : TimeSpan.Zero) : null;
}
