namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="Console"/>'s blocking reads: in a greenlet, offloaded to the hub's
/// thread pool (standard input may be a terminal, a pipe or a file; none has a usable async twin).
/// </summary>
public static class ConsolePatches
{
    /// <summary><see cref="Console.ReadLine"/>.</summary>
    [Patch(typeof(Console), nameof(Console.ReadLine), PatchKind.Static, PatchStrategy.Offload)]
    public static string? ReadLine() => Offload.Run(Console.In, Console.ReadLine);

    /// <summary><see cref="Console.Read"/>.</summary>
    [Patch(typeof(Console), nameof(Console.Read), PatchKind.Static, PatchStrategy.Offload)]
    public static int Read() => Offload.Run(Console.In, Console.Read);
}
