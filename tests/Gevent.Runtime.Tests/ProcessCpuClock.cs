using System.Runtime.InteropServices;

namespace Gevent.Tests;

/// <summary>
/// The CPU time the whole process has used, to the nanosecond (<c>CLOCK_PROCESS_CPUTIME_ID</c>). Tests that compare
/// two workloads' costs read it instead of a stopwatch: on a busy machine wall time also counts the spells the
/// process waited for a CPU, which land on one workload more than another, while CPU time counts only the work.
/// <see cref="System.Diagnostics.Process.TotalProcessorTime"/> counts in 10 ms ticks, too coarse for short workloads.
/// </summary>
internal static partial class ProcessCpuClock
{
    private const int ClockProcessCpuTimeId = 2;

    /// <summary>The process's CPU time so far, every thread's (the GC's included).</summary>
    public static TimeSpan Now
    {
        get
        {
            if (clock_gettime(ClockProcessCpuTimeId, out var time) != 0)
            {
                throw new InvalidOperationException($"clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed: errno {Marshal.GetLastPInvokeError()}");
            }

            return TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clockId, out TimeSpec time);
}
