using System.Globalization;
using System.Runtime.InteropServices;

namespace Gevent.Bench.Data;

/// <summary>
/// The machine a run measured on. The load averages matter because the benches share a busy 2-core box:
/// a figure taken at load 7 is not one taken at load 1.
/// </summary>
/// <param name="LoadAverages">The 1-, 5- and 15-minute load averages when the run ended (<c>/proc/loadavg</c>); empty off Linux.</param>
public sealed record Machine(int Cpus, string Runtime, string Os, IReadOnlyList<double> LoadAverages)
{
    public static Machine Current() =>
        new(Environment.ProcessorCount, RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription, ReadLoadAverages());

    /// <summary>The 1-, 5- and 15-minute load averages now, or none where <c>/proc/loadavg</c> does not exist.</summary>
    public static IReadOnlyList<double> ReadLoadAverages() =>
        File.Exists("/proc/loadavg")
            ? [.. File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(s => double.Parse(s, CultureInfo.InvariantCulture))]
            : [];
}
