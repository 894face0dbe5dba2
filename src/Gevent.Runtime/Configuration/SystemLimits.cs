namespace Gevent;

/// <summary>
/// How many greenlet threads this system can hold before the process dies or the kernel refuses.
/// Each .NET thread takes about four memory mappings and one pid; past <c>vm.max_map_count</c> the
/// process aborts with no exception to catch, so the runtime stops well before.
/// </summary>
internal static class SystemLimits
{
    private const int MappingsPerThread = 4;
    private const int MappingReserve = 8192; // for the GC heap, JIT and native libraries to keep growing
    private const int PidReserve = 1024;

    /// <summary>The most greenlets this process may run; <c>GEVENT_MAX_GREENLETS</c> can lower it, not raise it.</summary>
    public static int GreenletCeiling { get; } = ComputeCeiling();

    /// <summary>The default limit: the ceiling, further bounded by the open-file limit (a greenlet usually holds a socket).</summary>
    public static int DefaultMaxGreenlets { get; } = Math.Min(GreenletCeiling, Math.Max(1, ReadOpenFileHardLimit()));

    /// <summary>Where the two figures came from, for messages.</summary>
    public static string Describe() =>
        $"vm.max_map_count={ReadInt("/proc/sys/vm/max_map_count")}, kernel.pid_max={ReadInt("/proc/sys/kernel/pid_max")}, open files={ReadOpenFileHardLimit()}";

    private static int ComputeCeiling()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 10_000;
        }

        var maxMaps = ReadInt("/proc/sys/vm/max_map_count") ?? 65530;
        var mapsInUse = CountLines("/proc/self/maps");
        var byMaps = (maxMaps - mapsInUse - MappingReserve) / MappingsPerThread;
        var pidMax = ReadInt("/proc/sys/kernel/pid_max") ?? 32768;
        var threadsMax = ReadInt("/proc/sys/kernel/threads-max") ?? int.MaxValue;
        var byPids = Math.Min(pidMax, threadsMax) - PidReserve;
        return Math.Max(1, Math.Min(byMaps, byPids));
    }

    private static int ReadOpenFileHardLimit()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var fields = line[14..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return int.TryParse(fields[1], out var hard) ? hard : int.MaxValue;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return int.MaxValue;
    }

    private static int? ReadInt(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int CountLines(string path)
    {
        try
        {
            return File.ReadLines(path).Count();
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
