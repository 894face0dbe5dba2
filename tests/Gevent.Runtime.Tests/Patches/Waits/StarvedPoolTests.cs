using System.Diagnostics;

namespace Gevent.Tests.Patches.Waits;

/// <summary>
/// Waits whose completion the .NET thread pool delivers (a process's Exited event, a registered wait's callback) still
/// end, soon after the original's would, while the pool is starved: the apps this project serves are those whose
/// blocking code starves it. A patched <c>ManualResetEventSlim.Set</c> wakes its parked waiter itself, with no help from
/// the pool.
/// </summary>
public class StarvedPoolTests
{
    [Fact]
    public async Task ProcessAndEventWaitsEndWhileEveryPoolThreadIsBlocked()
    {
        // In a process of its own: the probe blocks every thread of its pool (capped at one per CPU) for 20 s, and each
        // wait's subject ends after 0.3 s.
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RuntimeProbe.dll"), "waits-starved-pool"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var probe = Process.Start(start)!;
        var errors = probe.StandardError.ReadToEndAsync();
        var output = await probe.StandardOutput.ReadToEndAsync();
        await probe.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(probe.ExitCode == 0, $"the probe failed: {output}{await errors}");
        var report = output.Split(' ', StringSplitOptions.TrimEntries);
        Assert.True(
            report is ["process_ms", var process, "event_ms", var @event, "slim_event_ms", var slimEvent, "patched_set_woke_first", "True", "pool_released", "False"]
                && new[] { process, @event, slimEvent }.All(milliseconds => int.Parse(milliseconds) < 10_000),
            $"a wait lasted until the pool was released, or a patched Set left its waiter to the looks: {output}");
    }
}
