using System.Runtime.InteropServices;

namespace AssemblyToProcess;

/// <summary>Blocking calls patching cannot reach: the weaver reports them.</summary>
public static class Unpatchable
{
    public static int NativeSleep(uint microseconds) => usleep(microseconds);

    public static object? ReflectedYield() => typeof(Thread).GetMethod("Yield")!.Invoke(null, null);

    [DllImport("libc", SetLastError = true)]
    private static extern int usleep(uint microseconds);
}
