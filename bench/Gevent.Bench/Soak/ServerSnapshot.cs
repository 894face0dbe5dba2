using System.Globalization;
using Gevent.Bench.Load;

namespace Gevent.Bench.Soak;

/// <summary>
/// What a server process holds at one instant, read from outside: descriptors, threads and resident
/// memory from <c>/proc/PID</c>, live greenlets from the sample's <c>--stats</c> line (-1 before the first).
/// </summary>
internal sealed record ServerSnapshot(int Greenlets, int Descriptors, int Threads, long RssKiB)
{
    private const string StatsPrefix = "stats: greenlets=";

    /// <summary>Every figure -1: the process had exited.</summary>
    public static readonly ServerSnapshot Gone = new(-1, -1, -1, -1);

    public static ServerSnapshot Take(ServerProcess server)
    {
        var greenlets = server.LastOutputLine is { } line && line.StartsWith(StatsPrefix, StringComparison.Ordinal)
            ? int.Parse(line.AsSpan(StatsPrefix.Length), CultureInfo.InvariantCulture)
            : -1;
        var status = File.ReadAllLines($"/proc/{server.Id}/status");
        return new ServerSnapshot(
            greenlets,
            Directory.GetFiles($"/proc/{server.Id}/fd").Length,
            (int)StatusField(status, "Threads:"),
            StatusField(status, "VmRSS:"));
    }

    /// <summary>The larger of each figure: the peak of a series of snapshots.</summary>
    public ServerSnapshot Max(ServerSnapshot other) => new(
        Math.Max(Greenlets, other.Greenlets),
        Math.Max(Descriptors, other.Descriptors),
        Math.Max(Threads, other.Threads),
        Math.Max(RssKiB, other.RssKiB));

    // "VmRSS:	   41236 kB", "Threads:	12"
    private static long StatusField(string[] status, string name) =>
        long.Parse(status.First(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}
