using Gevent.Loop.Native;

namespace Gevent.Greenlets.Threads;

/// <summary>
/// Pins threads to one CPU. A hub's threads hand the baton to each other; on one CPU that
/// handoff is a plain context switch, across CPUs it is an inter-processor wake-up that costs
/// ten times more on a VM (bench <c>baton</c>).
/// </summary>
internal static unsafe class CpuAffinity
{
    private const int MaskWords = 16; // 1024 CPUs
    private static int s_nextHubCpu;
    private static readonly int[] s_allowed = ReadAllowedCpus();

    /// <summary>True where threads can be pinned.</summary>
    public static bool Supported => s_allowed.Length > 0;

    /// <summary>The CPUs this process may run on, in order.</summary>
    public static IReadOnlyList<int> AllowedCpus => s_allowed;

    /// <summary>Picks a CPU for a new hub that has none reserved: the next one round-robin over the allowed ones, so hubs spread out.</summary>
    public static int NextHubCpu()
    {
        if (!Supported)
        {
            return -1;
        }

        var index = (Interlocked.Increment(ref s_nextHubCpu) - 1) % s_allowed.Length;
        return s_allowed[index];
    }

    /// <summary>
    /// Takes <paramref name="count"/> consecutive turns of the round-robin at once and returns their CPUs, so the
    /// hubs of one group land on different CPUs (as far as there are CPUs) even while other threads make hubs;
    /// empty where threads cannot be pinned or hubs are not pinned (<see cref="GeventConfig.HubCpuAffinity"/>).
    /// </summary>
    public static int[] ReserveHubCpus(int count)
    {
        if (!Supported || !GeventConfig.Current.HubCpuAffinity)
        {
            return [];
        }

        var first = Interlocked.Add(ref s_nextHubCpu, count) - count;
        return [.. Enumerable.Range(first, count).Select(turn => s_allowed[turn % s_allowed.Length])];
    }

    /// <summary>Pins the calling thread to <paramref name="cpu"/>; false if the kernel refused.</summary>
    public static bool PinCurrentThread(int cpu)
    {
        if (cpu < 0 || !Supported)
        {
            return false;
        }

        var mask = stackalloc ulong[MaskWords];
        mask[cpu / 64] = 1UL << (cpu % 64);
        return Libc.sched_setaffinity(0, MaskWords * sizeof(ulong), mask) == 0;
    }

    /// <summary>Lets the calling thread run on every allowed CPU again.</summary>
    public static void UnpinCurrentThread()
    {
        if (!Supported)
        {
            return;
        }

        var mask = stackalloc ulong[MaskWords];
        foreach (var cpu in s_allowed)
        {
            mask[cpu / 64] |= 1UL << (cpu % 64);
        }

        Libc.sched_setaffinity(0, MaskWords * sizeof(ulong), mask);
    }

    private static int[] ReadAllowedCpus()
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        try
        {
            var mask = stackalloc ulong[MaskWords];
            if (Libc.sched_getaffinity(0, MaskWords * sizeof(ulong), mask) != 0)
            {
                return [];
            }

            var cpus = new List<int>();
            for (var cpu = 0; cpu < MaskWords * 64; cpu++)
            {
                if ((mask[cpu / 64] & (1UL << (cpu % 64))) != 0)
                {
                    cpus.Add(cpu);
                }
            }

            return [.. cpus];
        }
        catch (DllNotFoundException)
        {
            return [];
        }
        catch (EntryPointNotFoundException)
        {
            return [];
        }
    }
}
