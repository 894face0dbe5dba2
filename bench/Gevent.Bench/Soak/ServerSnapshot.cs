using System.Globalization;
using System.Text.RegularExpressions;
using Gevent.Bench.Load;

namespace Gevent.Bench.Soak;

/// <summary>
/// What a server process holds at one instant: descriptors, threads and resident memory read from
/// <c>/proc/PID</c>; live greenlets and the managed heap's size asked of the sample (<c>--stats</c>),
/// -1 if it did not answer.
/// </summary>
internal sealed partial record ServerSnapshot(int Greenlets, int Descriptors, int Threads, long RssKiB, long HeapBytes)
{
    private static readonly TimeSpan s_answerTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Every figure -1: the process had exited.</summary>
    public static readonly ServerSnapshot Gone = new(-1, -1, -1, -1, -1);

    /// <summary>
    /// Takes a snapshot; with <paramref name="collect"/>, the server runs a full garbage collection first. Without
    /// <paramref name="ask"/>, only <c>/proc</c> is read: for servers that do not answer <c>--stats</c> questions.
    /// </summary>
    public static ServerSnapshot Take(ServerProcess server, bool collect = false, bool ask = true)
    {
        var answer = ask && server.Ask(collect ? "collect" : "stats", s_answerTimeout) is { } line ? Stats().Match(line) : Match.Empty;
        var status = File.ReadAllLines($"/proc/{server.Id}/status");
        return new ServerSnapshot(
            answer.Success ? int.Parse(answer.Groups[1].Value, CultureInfo.InvariantCulture) : -1,
            Directory.GetFiles($"/proc/{server.Id}/fd").Length,
            (int)StatusField(status, "Threads:"),
            StatusField(status, "VmRSS:"),
            answer.Success ? long.Parse(answer.Groups[2].Value, CultureInfo.InvariantCulture) : -1);
    }

    /// <summary>The larger of each figure: the peak of a series of snapshots.</summary>
    public ServerSnapshot Max(ServerSnapshot other) => new(
        Math.Max(Greenlets, other.Greenlets),
        Math.Max(Descriptors, other.Descriptors),
        Math.Max(Threads, other.Threads),
        Math.Max(RssKiB, other.RssKiB),
        Math.Max(HeapBytes, other.HeapBytes));

    // "VmRSS:	   41236 kB", "Threads:	12"
    private static long StatusField(string[] status, string name) =>
        long.Parse(status.First(l => l.StartsWith(name, StringComparison.Ordinal))[name.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^stats: greenlets=(\d+) heap=(\d+)$")]
    private static partial Regex Stats();
}
